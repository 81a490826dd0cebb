/**
 * sRGB (D65) <-> CIE Lab exactly as OpenCV 4's cv2.cvtColor computes it (x86-64, SSE2 build, as
 * Debian's python3-opencv 4.6), which is what the official DISCO code calls (docs/disco-method.md §2):
 * - float RGB2Lab: trilinear interpolation in fixed point in a 33^3 table, so L comes in steps of
 *   100/16384 and a, b in steps of 1/64;
 * - float Lab2RGB: float32 formulas, then a spline through the gamma curve. OpenCV converts each row
 *   8 pixels at a time with SIMD code and the rest of the row with scalar code; the two round
 *   differently in the last bit, so which one applies depends on the column (see `simdColumns`);
 * - the 8-bit conversions (integer tables).
 * Tables: ../common/opencv-lab-tables.ts. Vectors: test/fixtures/opencv-lab. The WGSL kernels
 * (webgpu/kernels/lab.wgsl.ts, lab8.wgsl.ts) follow the same steps.
 */
import { arrayPool } from '../../values/array-pool.ts';
import { cpuTensor, type CpuTensor } from '../../values/tensor.ts';
import { hostKernels, type RgbaToLab } from './host-kernels.ts';
import { wasmLabKernels, wasmLabToRgba, type LabToRgbaKernel } from './simd/lab-wasm.ts';
import type { ImageValue } from '../../values/types.ts';
import {
  CODE_U8, F_16_116, F_6_29, F_7787, F_9033, GAMMA_TAB_SIZE, invGammaSplineTab, lab8Tables, labInputCode, LUT_DIM, MIN_AB,
  rgb2LabLut, simdColumns, XYZ2RGB_F,
} from '../common/opencv-lab-tables.ts';

const f = Math.fround;

// ------------------------------------------------------------------ float RGB -> Lab

const SB = LUT_DIM * LUT_DIM * 3, SG = LUT_DIM * 3, SR = 3;

/** Lab of fixed-point inputs (0..16384 each), written to out[i], out[i + stride], out[i + 2 * stride]. */
function labFromCodes(cr: number, cg: number, cb: number, out: Float32Array | Float64Array, i: number, stride: number): void {
  const lut = rgb2LabLut();
  const tb = cb >> 9, tg = cg >> 9, tr = cr >> 9;
  const xb = (cb >> 5) & 15, xg = (cg >> 5) & 15, xr = (cr >> 5) & 15;
  const o = tb * SB + tg * SG + tr * SR;
  const db = tb < LUT_DIM - 1 ? SB : 0, dg = tg < LUT_DIM - 1 ? SG : 0, dr = tr < LUT_DIM - 1 ? SR : 0;
  const b0 = 16 - xb, g0 = 16 - xg, r0 = 16 - xr;
  const w000 = b0 * g0 * r0, w001 = b0 * g0 * xr, w010 = b0 * xg * r0, w011 = b0 * xg * xr;
  const w100 = xb * g0 * r0, w101 = xb * g0 * xr, w110 = xb * xg * r0, w111 = xb * xg * xr;
  for (let c = 0; c < 3; c++) {
    const k = o + c;
    const s = lut[k] * w000 + lut[k + dr] * w001 + lut[k + dg] * w010 + lut[k + dg + dr] * w011
      + lut[k + db] * w100 + lut[k + db + dr] * w101 + lut[k + db + dg] * w110 + lut[k + db + dg + dr] * w111;
    const code = (s + 2048) >> 12;
    out[i + c * stride] = c === 0 ? f(code * (100 / 16384)) : code / 64 - 128;
  }
}

const pixel = new Float64Array(3);

/** One pixel: float sRGB (any value; clipped to 0..1 like OpenCV) -> [L, a, b]. */
export function rgbToLabPixel(r: number, g: number, b: number): [number, number, number] {
  labFromCodes(labInputCode(r), labInputCode(g), labInputCode(b), pixel, 0, 1);
  return [pixel[0], pixel[1], pixel[2]];
}

/** Float32 RGB planes [3,n] (or interleaved with stride 1 and step 3) -> Lab planes [3,n]. */
export function rgbFloatToLab(rgb: ArrayLike<number>, n: number, interleaved = false): Float32Array {
  const out = new Float32Array(3 * n);
  for (let p = 0; p < n; p++) {
    const [r, g, b] = interleaved ? [rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]] : [rgb[p], rgb[n + p], rgb[2 * n + p]];
    labFromCodes(labInputCode(r), labInputCode(g), labInputCode(b), out, p, n);
  }
  return out;
}

/** Per byte value: its table cell (code >> 9) as an offset along each axis, and its 1/16 step in the cell. */
const CELL_U8 = Int32Array.from(CODE_U8, (c) => c >> 9), FRAC_U8 = Int32Array.from(CODE_U8, (c) => (c >> 5) & 15);

/** The kernel rgbToLabImage runs by default: the host's (host-kernels.ts), else the WebAssembly one, else null (the loop). */
export function fastRgbaToLab(): RgbaToLab | null {
  const wasm = wasmLabKernels();
  return hostKernels().rgbaToLab ?? (wasm ? (rgba, n, out) => wasm.rgbaToLab(rgba, n, out) : null);
}

/**
 * RGBA bytes -> Lab [1,3,H,W]: each byte / 255 in float32, then OpenCV's float RGB2Lab (labFromCodes,
 * inlined). `kernel`: a faster version of the loop below (default: fastRgbaToLab(); null for the loop).
 */
export function rgbToLabImage(image: ImageValue, kernel: RgbaToLab | null = fastRgbaToLab()): CpuTensor {
  const { width: W, height: H, data } = image;
  const n = W * H;
  const out = arrayPool.take(3 * n); // every element is written below (a large photo's Lab is fresh memory otherwise)
  if (kernel) {
    kernel(data, n, out);
    return cpuTensor([1, 3, H, W], out);
  }
  const lut = rgb2LabLut(), last = LUT_DIM - 1;
  for (let p = 0; p < n; p++) {
    const r = data[4 * p], g = data[4 * p + 1], b = data[4 * p + 2];
    const tb = CELL_U8[b], tg = CELL_U8[g], tr = CELL_U8[r];
    const xb = FRAC_U8[b], xg = FRAC_U8[g], xr = FRAC_U8[r];
    const k = tb * SB + tg * SG + tr * SR;
    const db = tb < last ? SB : 0, dg = tg < last ? SG : 0, dr = tr < last ? SR : 0;
    const b0 = 16 - xb, g0 = 16 - xg, r0 = 16 - xr;
    const w000 = b0 * g0 * r0, w001 = b0 * g0 * xr, w010 = b0 * xg * r0, w011 = b0 * xg * xr;
    const w100 = xb * g0 * r0, w101 = xb * g0 * xr, w110 = xb * xg * r0, w111 = xb * xg * xr;
    const k1 = k + dr, k2 = k + dg, k3 = k2 + dr, k4 = k + db, k5 = k4 + dr, k6 = k4 + dg, k7 = k6 + dr;
    const sL = lut[k] * w000 + lut[k1] * w001 + lut[k2] * w010 + lut[k3] * w011 + lut[k4] * w100 + lut[k5] * w101 + lut[k6] * w110 + lut[k7] * w111;
    const sa = lut[k + 1] * w000 + lut[k1 + 1] * w001 + lut[k2 + 1] * w010 + lut[k3 + 1] * w011
      + lut[k4 + 1] * w100 + lut[k5 + 1] * w101 + lut[k6 + 1] * w110 + lut[k7 + 1] * w111;
    const sb = lut[k + 2] * w000 + lut[k1 + 2] * w001 + lut[k2 + 2] * w010 + lut[k3 + 2] * w011
      + lut[k4 + 2] * w100 + lut[k5 + 2] * w101 + lut[k6 + 2] * w110 + lut[k7 + 2] * w111;
    out[p] = ((sL + 2048) >> 12) * (100 / 16384); // one rounding when stored as float32
    out[n + p] = ((sa + 2048) >> 12) / 64 - 128;
    out[2 * n + p] = ((sb + 2048) >> 12) / 64 - 128;
  }
  return cpuTensor([1, 3, H, W], out);
}

// ------------------------------------------------------------------ float Lab -> RGB

const C = XYZ2RGB_F;
const INV_903 = f(1 / F_9033), INV_116 = f(1 / 116), INV_500 = f(1 / 500), NEG_INV_200 = f(-1 / 200), INV_7787 = f(1 / F_7787);
const clip01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** OpenCV's spline gamma: linear 0..1 -> sRGB 0..1 (float32). */
function gammaSpline(v: number): number {
  const tab = invGammaSplineTab();
  const x = f(v * GAMMA_TAB_SIZE);
  const ix = Math.min(Math.max(Math.trunc(x), 0), GAMMA_TAB_SIZE - 1);
  const t = f(x - ix), k = 4 * ix;
  return f(f(f(f(f(f(tab[k + 3] * t) + tab[k + 2]) * t) + tab[k + 1]) * t) + tab[k]);
}

/** Lab -> float sRGB 0..1 (clipped) by OpenCV's scalar code (the last width % 8 pixels of a row). */
function rgbFromLabScalar(L: number, a: number, b: number, out: Float32Array | Float64Array, i: number, stride: number): void {
  let y: number, fy: number;
  if (L <= 8) {
    y = f(L / F_9033);
    fy = f(f(F_7787 * y) + F_16_116);
  } else {
    fy = f(f(L + 16) / 116);
    y = f(f(fy * fy) * fy);
  }
  let x = f(f(a / 500) + fy), z = f(fy - f(b / 200));
  x = x <= F_6_29 ? f(f(x - F_16_116) / F_7787) : f(f(x * x) * x);
  z = z <= F_6_29 ? f(f(z - F_16_116) / F_7787) : f(f(z * z) * z);
  out[i] = gammaSpline(clip01(f(f(f(C[0] * x) + f(C[1] * y)) + f(C[2] * z))));
  out[i + stride] = gammaSpline(clip01(f(f(f(C[3] * x) + f(C[4] * y)) + f(C[5] * z))));
  out[i + 2 * stride] = gammaSpline(clip01(f(f(f(C[6] * x) + f(C[7] * y)) + f(C[8] * z))));
}

/** The same by OpenCV's SIMD code (reciprocal multiplies, sums in another order; no FMA on SSE2). */
function rgbFromLabSimd(L: number, a: number, b: number, out: Float32Array | Float64Array, i: number, stride: number): void {
  let y: number, fy: number;
  if (L <= 8) {
    y = f(L * INV_903);
    fy = f(f(F_7787 * y) + F_16_116);
  } else {
    fy = f(f(L + 16) * INV_116);
    y = f(f(fy * fy) * fy);
  }
  let x = f(f(a * INV_500) + fy), z = f(f(b * NEG_INV_200) + fy);
  x = x <= F_6_29 ? f(f(x - F_16_116) * INV_7787) : f(f(x * x) * x);
  z = z <= F_6_29 ? f(f(z - F_16_116) * INV_7787) : f(f(z * z) * z);
  out[i] = gammaSpline(clip01(f(f(C[0] * x) + f(f(C[1] * y) + f(C[2] * z)))));
  out[i + stride] = gammaSpline(clip01(f(f(C[3] * x) + f(f(C[4] * y) + f(C[5] * z)))));
  out[i + 2 * stride] = gammaSpline(clip01(f(f(C[6] * x) + f(f(C[7] * y) + f(C[8] * z)))));
}


/** One pixel: Lab -> float sRGB clipped to 0..1 (a one-pixel image: the scalar code). */
export function labToRgbPixel(L: number, a: number, b: number): [number, number, number] {
  rgbFromLabScalar(f(L), f(a), f(b), pixel, 0, 1);
  return [pixel[0], pixel[1], pixel[2]];
}

function checkRows(n: number, width: number, what: string): void {
  if (!(Number.isInteger(width) && width >= 1 && n % width === 0)) throw new Error(`${what}: ${n} pixels are not rows of ${width}`);
}

/**
 * Lab planes (n = L.length pixels) of a `width`-wide image -> float sRGB planes [3,n] in 0..1. a and
 * b are multiplied by abScale in float32 first (recombine passes ab/110 and 110).
 */
export function labToRgbFloat(L: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, width: number, abScale = 1): Float32Array {
  const n = L.length;
  checkRows(n, width, 'labToRgbFloat');
  const out = new Float32Array(3 * n);
  const simd = simdColumns(width);
  // Each row: OpenCV's SIMD code for its first columns, the scalar code for the rest.
  for (let row = 0; row < n; row += width) {
    for (let p = row; p < row + simd; p++) rgbFromLabSimd(L[p], f(a[p] * abScale), f(b[p] * abScale), out, p, n);
    for (let p = row + simd; p < row + width; p++) rgbFromLabScalar(L[p], f(a[p] * abScale), f(b[p] * abScale), out, p, n);
  }
  return out;
}

/** float32 0..1 -> uint8 as the official code saves: (rgb * 255).astype(np.uint8), i.e. truncation. */
export const toU8 = (v: number): number => Math.trunc(f(f(v) * 255));

/** Float sRGB planes -> RGBA bytes (alpha 255). */
export function rgbPlanesToImage(rgb: Float32Array, width: number, height: number): ImageValue {
  const n = width * height;
  const data = new Uint8ClampedArray(4 * n);
  for (let p = 0; p < n; p++) {
    data[4 * p] = toU8(rgb[p]);
    data[4 * p + 1] = toU8(rgb[n + p]);
    data[4 * p + 2] = toU8(rgb[2 * n + p]);
    data[4 * p + 3] = 255;
  }
  return { width, height, data };
}

/** Stores the pixel just converted into `pixel` as RGBA bytes at data[4 * p]. */
function storeBytes(data: Uint8ClampedArray, p: number): void {
  data[4 * p] = toU8(pixel[0]);
  data[4 * p + 1] = toU8(pixel[1]);
  data[4 * p + 2] = toU8(pixel[2]);
  data[4 * p + 3] = 255;
}

/**
 * Lab planes of a `width`-wide image -> RGBA bytes: rgbPlanesToImage(labToRgbFloat(...)) without the
 * float planes in between (the same bytes; one output array instead of two). `kernel`: a faster
 * version of the loops below, the same bytes (default: fastLabToRgba(); null for the loops).
 */
export function labPlanesToImage(
  L: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, width: number, abScale = 1, kernel: LabToRgbaKernel | null = fastLabToRgba(),
): ImageValue {
  const n = L.length;
  checkRows(n, width, 'labPlanesToImage');
  const data = new Uint8ClampedArray(4 * n);
  const simd = simdColumns(width);
  if (kernel) {
    kernel(L, a, b, width, simd, abScale, data);
    return { width, height: n / width, data };
  }
  for (let row = 0; row < n; row += width) {
    for (let p = row; p < row + simd; p++) {
      rgbFromLabSimd(L[p], f(a[p] * abScale), f(b[p] * abScale), pixel, 0, 1);
      storeBytes(data, p);
    }
    for (let p = row + simd; p < row + width; p++) {
      rgbFromLabScalar(L[p], f(a[p] * abScale), f(b[p] * abScale), pixel, 0, 1);
      storeBytes(data, p);
    }
  }
  return { width, height: n / width, data };
}

/** The Lab -> RGBA kernel to run: the host's (host-kernels.ts), else the WebAssembly one, else null (the loops). */
export function fastLabToRgba(): LabToRgbaKernel | null {
  return hostKernels().labToRgba ?? wasmLabToRgba();
}

/** Lab [1,3,H,W] -> RGBA bytes. */
export function labToRgbImage(lab: CpuTensor): ImageValue {
  const [, , H, W] = lab.shape;
  const n = H * W;
  const d = lab.data;
  return labPlanesToImage(d.subarray(0, n), d.subarray(n, 2 * n), d.subarray(2 * n, 3 * n), W);
}

// ------------------------------------------------------------------ 8-bit (COLOR_RGB2LAB on uint8)

const descale = (v: number, n: number): number => (v + (1 << (n - 1))) >> n;
const sat8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

/** 8-bit RGB (interleaved, `channels` per pixel) -> 8-bit Lab interleaved [L*255/100, a+128, b+128]. */
export function rgbToLab8(rgb: ArrayLike<number>, n: number, channels = 3): Uint8Array {
  const t = lab8Tables(), m = t.toXyz, out = new Uint8Array(3 * n);
  for (let p = 0; p < n; p++) {
    const R = t.gamma[rgb[channels * p]], G = t.gamma[rgb[channels * p + 1]], B = t.gamma[rgb[channels * p + 2]];
    const fX = t.cbrt[descale(R * m[0] + G * m[1] + B * m[2], 12)];
    const fY = t.cbrt[descale(R * m[3] + G * m[4] + B * m[5], 12)];
    const fZ = t.cbrt[descale(R * m[6] + G * m[7] + B * m[8], 12)];
    out[3 * p] = sat8(descale(296 * fY - 1336934, 15)); // (116*255+50)/100 and 16*255*2^15/100, rounded
    out[3 * p + 1] = sat8(descale(500 * (fX - fY) + (128 << 15), 15));
    out[3 * p + 2] = sat8(descale(200 * (fY - fZ) + (128 << 15), 15));
  }
  return out;
}

/** 8-bit Lab (interleaved, `channels` per pixel) -> 8-bit RGB (interleaved, 3 per pixel). */
export function lab8ToRgb(lab: ArrayLike<number>, n: number, channels = 3): Uint8Array {
  const t = lab8Tables(), m = t.toRgb, out = new Uint8Array(3 * n);
  for (let p = 0; p < n; p++) {
    const L = lab[channels * p], aa = lab[channels * p + 1], bb = lab[channels * p + 2];
    const y = t.lToYf[2 * L], ify = t.lToYf[2 * L + 1];
    const adiv = ((5 * aa * 53687 + (1 << 7)) >> 13) - 4194; // a * 16384 / 500, 128 * 16384 / 500
    const bdiv = ((bb * 41943 + (1 << 4)) >> 9) - 10485 + 1; // b * 16384 / 200, 128 * 16384 / 200
    const x = t.abToXz[ify + adiv - MIN_AB], z = t.abToXz[ify - bdiv - MIN_AB];
    for (let c = 0; c < 3; c++) {
      const v = descale(m[3 * c] * x + m[3 * c + 1] * y + m[3 * c + 2] * z, 14);
      out[3 * p + c] = t.invGamma[v < 0 ? 0 : v > 4095 ? 4095 : v];
    }
  }
  return out;
}

// ------------------------------------------------------------------ helpers

/** True when some pixel's channels differ by more than `tolerance` (JPEG grays carry a little noise). */
export function imageHasColor(image: ImageValue, tolerance = 2): boolean {
  const d = image.data;
  for (let i = 0; i < d.length; i += 4) {
    const mx = Math.max(d[i], d[i + 1], d[i + 2]), mn = Math.min(d[i], d[i + 1], d[i + 2]);
    if (mx - mn > tolerance) return true;
  }
  return false;
}

/**
 * A colour photo's 8-bit gray version: OpenCV float Lab, a = b = 0, back through OpenCV's float
 * Lab2RGB and truncated to bytes; alpha kept. Rounding to 8 bits moves L a little (up to about 0.5).
 */
export function dropChromaImage(image: ImageValue): ImageValue {
  const lab = rgbToLabImage(image);
  const n = image.width * image.height;
  const zero = new Float32Array(n);
  const out = labPlanesToImage(lab.data.subarray(0, n), zero, zero, image.width);
  for (let p = 0; p < n; p++) out.data[4 * p + 3] = image.data[4 * p + 3];
  return { ...out, meta: { ...image.meta, hadColor: false } };
}
