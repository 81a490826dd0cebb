/**
 * The tables OpenCV 4 builds for its sRGB (D65) <-> Lab conversions (imgproc color_lab), rebuilt
 * here from the same facts with the same float32 rounding, so cvtColor's results come out bit for bit:
 * - float RGB->Lab: a 33^3 table of 14-bit codes (L*16384/100, (a+128)*16384/256, ...) interpolated
 *   trilinearly in fixed point (16 steps per cell);
 * - float Lab->RGB: analytic up to linear RGB, then a cubic spline through 1025 samples of the sRGB
 *   gamma curve;
 * - 8-bit both ways: integer tables (gamma, cube root, inverse gamma, L -> y) and 12/14-bit weights.
 * OpenCV builds these with its software float (every operation rounded to float32 or float64);
 * `f` (Math.fround) after each operation reproduces that. Checked against cv2 4.6 by the vectors in
 * test/fixtures/opencv-lab. Built once, lazily.
 */

const f = Math.fround;

/** sRGB -> XYZ (D65) rows and the white point, as OpenCV states them (exact float64 literals). */
export const RGB2XYZ = [0.412453, 0.35758, 0.180423, 0.212671, 0.71516, 0.072169, 0.019334, 0.119193, 0.950227] as const;
export const XYZ2RGB = [3.240479, -1.53715, -0.498535, -0.969256, 1.875991, 0.041556, 0.055648, -0.204043, 1.057311] as const;
export const WHITE = [0.950456, 1, 1.088754] as const;

// float32 constants as OpenCV spells them
export const F_16_116 = f(16 / 116);
export const F_7787 = f(7.787);
export const F_9033 = f(903.3);
export const F_6_29 = f(6 / 29);
const LTHRESH = f(216 / 24389); // (6/29)^3
const LSCALE = f(841 / 108); // 7.787 = (29/3)^3 / (29*4)

/** cvRound: to nearest, ties to even (what x86's conversion instructions do). */
export function roundEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** float32 fused multiply-add x*y+z with one rounding (softfloat mulAdd); x*y is exact in float64. */
function fmaf(x: number, y: number, z: number): number {
  const p = x * y, s = p + z;
  const t = s - p, err = (p - (s - t)) + (z - t); // s + err = p + z exactly (TwoSum)
  const r = f(s);
  if (err === 0 || r === s) return r;
  // s may sit exactly halfway between two floats while p + z does not: round toward err's side
  const other = f(2 * s - r);
  if (other === r || 2 * s - r !== other) return r;
  return (err > 0) === (other > r) ? other : r;
}

/** sRGB gamma (to linear) and its inverse, in float64 as OpenCV's softdouble does, rounded to float32. */
function gamma(x: number): number {
  return f(x <= 809 / 20000 ? x / (323 / 25) : Math.pow((x + 11 / 200) / (1 + 11 / 200), 12 / 5));
}
function invGamma(x: number): number {
  return f(x <= 7827 / 2500000 ? x * (323 / 25) : Math.pow(x, 1 / (12 / 5)) * (1 + 11 / 200) - 11 / 200);
}
const f64 = new Float64Array(1), f64w = new Uint32Array(f64.buffer); // little-endian: [lo, hi]
const f32 = new Float32Array(1), f32w = new Uint32Array(f32.buffer);

/**
 * OpenCV's software cube root of a positive normal float32 (Turkowski's rational approximation in
 * float64 on the mantissa scaled to 1/8..1; the result's mantissa is cut, not rounded, to 24 bits).
 */
function cbrtf(x: number): number {
  f32[0] = x;
  const bits = f32w[0];
  let ex = ((bits >>> 23) & 0xff) - 127;
  let shx = ex % 3;
  shx -= shx >= 0 ? 3 : 0;
  ex = (ex - shx) / 3 - 1;
  f64w[1] = ((shx + 1023) << 20) | ((bits & 0x7fffff) >>> 3);
  f64w[0] = (bits & 7) << 29;
  const fr0 = f64[0];
  f64[0] = ((((45.2548339756803022511987494 * fr0 + 192.2798368355061050458134625) * fr0 + 119.1654824285581628956914143) * fr0
    + 13.43250139086239872172837314) * fr0 + 0.1636161226585754240958355063)
    / ((((14.80884093219134573786480845 * fr0 + 151.9714051044435648658557668) * fr0 + 168.5254414101568283957668343) * fr0
    + 33.9905941350215598754191872) * fr0 + 1.0);
  f32w[0] = ((ex + 127) << 23) | ((f64w[1] & 0xfffff) << 3) | (f64w[0] >>> 29);
  return f32[0];
}

/** Lab's f(t) = t^(1/3) above (6/29)^3, else 7.787 t + 16/116 (float32). */
function labF(x: number): number {
  return x > LTHRESH ? cbrtf(x) : fmaf(x, LSCALE, F_16_116);
}

// ------------------------------------------------------------------ float RGB -> Lab (33^3 LUT)

export const LUT_DIM = 33;

/**
 * What the table is built from (float32 values): the X, Y, Z rows of RGB -> XYZ times 1/white,
 * ordered (blue, green, red) as OpenCV sums them, and the linear value of each node i/32.
 * simd/lab.as.ts builds the same table from these.
 */
export function rgb2LabLutInputs(): { S: Float32Array; lin: Float32Array } {
  const s = [1 / WHITE[0], 1, 1 / WHITE[2]];
  const S = Float32Array.from([0, 1, 2].flatMap((i) => [RGB2XYZ[3 * i + 2] * s[i], RGB2XYZ[3 * i + 1] * s[i], RGB2XYZ[3 * i] * s[i]]));
  return { S, lin: Float32Array.from({ length: LUT_DIM }, (_, i) => gamma(f(i / 32))) };
}

/**
 * Int16Array [33*33*33*3]: node (b, g, r) (each 0..32, value i/32) at ((b*33 + g)*33 + r)*3 holds the
 * codes L*16384/100, (a+128)*64, (b+128)*64. OpenCV indexes its table blue-first; so does this.
 */
function buildRgb2LabLut(): Int16Array {
  const { S, lin } = rgb2LabLutInputs();
  const lut = new Int16Array(LUT_DIM ** 3 * 3);
  for (let pb = 0; pb < LUT_DIM; pb++) for (let pg = 0; pg < LUT_DIM; pg++) for (let pr = 0; pr < LUT_DIM; pr++) {
    const B = lin[pb], G = lin[pg], R = lin[pr];
    const X = f(f(f(B * S[0]) + f(G * S[1])) + f(R * S[2]));
    const Y = f(f(f(B * S[3]) + f(G * S[4])) + f(R * S[5]));
    const Z = f(f(f(B * S[6]) + f(G * S[7])) + f(R * S[8]));
    const FX = labF(X), FY = labF(Y), FZ = labF(Z);
    const L = Y > LTHRESH ? f(f(116 * FY) - 16) : f(f(24389 / 27) * Y);
    const a = f(500 * f(FX - FY)), b = f(200 * f(FY - FZ));
    const o = ((pb * LUT_DIM + pg) * LUT_DIM + pr) * 3;
    lut[o] = roundEven(f(f(16384 * L) / 100));
    lut[o + 1] = roundEven(f(f(16384 * f(a + 128)) / 256));
    lut[o + 2] = roundEven(f(f(16384 * f(b + 128)) / 256));
  }
  return lut;
}

/** Fixed-point input of a float channel: clip to 0..1, x16384, round half to even. */
export function labInputCode(v: number): number {
  const c = v < 0 ? 0 : v > 1 ? 1 : v; // NaN stays NaN and maps to 0 below
  return roundEven(f(c) * 16384) | 0;
}

// ------------------------------------------------------------------ float Lab -> RGB (gamma spline)

export const GAMMA_TAB_SIZE = 1024;

/** OpenCV's natural cubic spline through f[0..n] (n segments; per segment [f, b, c, d]), in float32. */
function splineBuild(fv: Float32Array, n: number): Float32Array {
  const tab = new Float32Array(n * 4);
  for (let i = 1; i < n; i++) {
    const t = f(f(f(fv[i + 1] - f(fv[i] * 2)) + fv[i - 1]) * 3);
    const l = f(1 / f(4 - tab[(i - 1) * 4]));
    tab[i * 4] = l;
    tab[i * 4 + 1] = f(f(t - tab[(i - 1) * 4 + 1]) * l);
  }
  let cn = 0;
  for (let i = n - 1; i >= 0; i--) {
    const c = f(tab[i * 4 + 1] - f(tab[i * 4] * cn));
    const b = f(f(fv[i + 1] - fv[i]) - f(f(cn + f(c * 2)) / 3));
    const d = f(f(cn - c) / 3);
    tab[i * 4] = fv[i];
    tab[i * 4 + 1] = b;
    tab[i * 4 + 2] = c;
    tab[i * 4 + 3] = d;
    cn = c;
  }
  return tab;
}

// ------------------------------------------------------------------ 8-bit tables

const LAB_SHIFT = 12, LAB_SHIFT2 = 15;

export interface Lab8Tables {
  /** sRGB byte -> linear x 2040 (gamma_shift 3). */
  gamma: Uint16Array;
  /** index (linear XYZ x 2040) -> f(t) x 32768, 3072 entries. */
  cbrt: Uint16Array;
  /** RGB -> XYZ/white in 12-bit fixed point, rows X, Y, Z; columns r, g, b. */
  toXyz: Int32Array;
  /** L byte -> y x 16384 at 2L, fy x 16384 at 2L+1. */
  lToYf: Uint16Array;
  /** fx or fz x 16384 (offset by 8145) -> x or z x 16384. */
  abToXz: Int32Array;
  /** XYZ (14-bit) -> linear RGB in 12 bits, rows r, g, b; columns x, y, z. */
  toRgb: Int32Array;
  /** linear (12-bit index) -> sRGB byte. */
  invGamma: Uint8Array;
}

export const MIN_AB = -8145;

function buildLab8(): Lab8Tables {
  const gammaTab = Uint16Array.from({ length: 256 }, (_, i) => roundEven(f(2040 * gamma(f(i / 255)))));
  const step = f(1 / 2040);
  const cbrt = Uint16Array.from({ length: 3072 }, (_, i) => roundEven(f(32768 * labF(f(step * i)))));
  const toXyz = new Int32Array(9), toRgb = new Int32Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    toXyz[3 * i + j] = roundEven((4096 * RGB2XYZ[3 * i + j]) / WHITE[i]);
    toRgb[3 * i + j] = roundEven(4096 * XYZ2RGB[3 * i + j] * WHITE[j]);
  }
  const lToYf = new Uint16Array(512);
  for (let i = 0; i < 256; i++) {
    let y: number, ify: number;
    if (i <= 20) {
      y = roundEven(f(f(i * 16384 * 20 * 9) / f(17 * 29 * 29 * 29)));
      ify = roundEven(f(16384 * f(F_16_116 + f(f(i * 5) / f(3 * 17 * 29)))));
    } else {
      const fy = f(f(f(i * 100 * 16384) / f(255 * 116)) + f(f(16 * 16384) / f(116)));
      ify = roundEven(fy);
      y = roundEven(f(f(f(fy * fy) * fy) / f(16384 * 16384)));
    }
    lToYf[2 * i] = y;
    lToYf[2 * i + 1] = ify;
  }
  const abToXz = new Int32Array((16384 * 9) / 4);
  for (let i = MIN_AB; i < (16384 * 9) / 4 + MIN_AB; i++) {
    abToXz[i - MIN_AB] = i <= 3390
      ? Math.trunc((i * 108) / 841) - 290 // (f - 16/116) / 7.787 in C integer arithmetic
      : Math.trunc((Math.trunc((i * i) / 16384) * i) / 16384);
  }
  const invGammaTab = Uint8Array.from({ length: 4096 }, (_, i) => roundEven(f(255 * invGamma(f(f(1 / 4096) * i)))));
  return { gamma: gammaTab, cbrt, toXyz, lToYf, abToXz, toRgb, invGamma: invGammaTab };
}

// ------------------------------------------------------------------ lazily built singletons

let lut: Int16Array | undefined;
let invGammaSpline: Float32Array | undefined;
let lab8: Lab8Tables | undefined;

export const rgb2LabLut = (): Int16Array => (lut ??= buildRgb2LabLut());
/** The inverse-gamma spline: 1024 segments of [f, b, c, d] over linear 0..1 x 1024. */
export const invGammaSplineTab = (): Float32Array =>
  (invGammaSpline ??= splineBuild(Float32Array.from({ length: GAMMA_TAB_SIZE + 1 }, (_, i) => invGamma(f(i / GAMMA_TAB_SIZE))), GAMMA_TAB_SIZE));
export const lab8Tables = (): Lab8Tables => (lab8 ??= buildLab8());

/** The fixed-point input of each byte value v / 255 (float32), as the official code feeds cvtColor. */
export const CODE_U8 = Int32Array.from({ length: 256 }, (_, v) => labInputCode(f(v / 255)));

/** The RGB -> Lab table for the GPU: the LUT codes, then CODE_U8. */
export function labTableForGpu(): Int32Array {
  const t = new Int32Array(LUT_DIM ** 3 * 3 + 256);
  t.set(rgb2LabLut());
  t.set(CODE_U8, LUT_DIM ** 3 * 3);
  return t;
}

/** Offsets of the 8-bit tables in `lab8TableForGpu` (int32 entries). */
export const LAB8_GPU = { gamma: 0, cbrt: 256, lToYf: 256 + 3072, invGamma: 256 + 3072 + 512, abToXz: 256 + 3072 + 512 + 4096 } as const;

/** The 8-bit conversion tables for the GPU, one int32 buffer at the LAB8_GPU offsets (the matrices are inlined in WGSL). */
export function lab8TableForGpu(): Int32Array {
  const t8 = lab8Tables();
  const t = new Int32Array(LAB8_GPU.abToXz + t8.abToXz.length);
  t.set(t8.gamma, LAB8_GPU.gamma);
  t.set(t8.cbrt, LAB8_GPU.cbrt);
  t.set(t8.lToYf, LAB8_GPU.lToYf);
  t.set(t8.invGamma, LAB8_GPU.invGamma);
  t.set(t8.abToXz, LAB8_GPU.abToXz);
  return t;
}

/** How many leading pixels of a row of `width` OpenCV's float Lab2RGB converts with SIMD code (8 at a time). */
export const simdColumns = (width: number): number => width - (width % 8);

/** Lab -> RGB float coefficients: XYZ2RGB row i times the white point per column, as float32. */
export const XYZ2RGB_F = Float32Array.from({ length: 9 }, (_, k) => f(XYZ2RGB[k] * WHITE[k % 3]));
export { LAB_SHIFT, LAB_SHIFT2 };
