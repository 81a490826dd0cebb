/**
 * AssemblyScript source (compiled by `npm run build:wasm` into lab.wasm.ts; loaded by lab-wasm.ts)
 * of the colour steps on whole images, the same arithmetic as their TypeScript loops, so the same bits:
 * - OpenCV's float RGB -> Lab of RGBA bytes (cpu/lab.ts rgbToLabImage): integer sums, as exact there;
 * - OpenCV's float Lab -> RGB written straight to RGBA bytes (rgbFromLabSimd / rgbFromLabScalar,
 *   gammaSpline, toU8): every f32 operation here rounds like Math.fround there;
 * - the bilinear resize of a float plane (cpu/resize.ts resizeRowsInto): float64 blends rounded to
 *   float32 once, as there.
 * WebAssembly fuses no multiply-add, so nothing rounds differently. Pointers are byte offsets into
 * the imported memory. TypeScript runs these loops cold on a page's first run (interpreted until the
 * JIT catches up); WebAssembly is compiled before the first call.
 */

// The constants block written by lab-wasm.ts, in this order (float32).
const K_9033 = 0, K_7787 = 1, K_16_116 = 2, K_6_29 = 3, K_INV_903 = 4, K_INV_116 = 5, K_INV_500 = 6, K_NEG_INV_200 = 7, K_INV_7787 = 8, K_C = 9;

// @ts-ignore: decorator
@inline function kf(k: usize, i: i32): f32 { return load<f32>(k + (<usize>i << 2)); }

// @ts-ignore: decorator
@inline function clip01(v: f32): f32 { return v < 0 ? 0 : v > 1 ? 1 : v; }

/** OpenCV's spline gamma (linear 0..1 -> sRGB), then x255 truncated to a byte, as toU8. */
// @ts-ignore: decorator
@inline function gammaByte(v: f32, tab: usize, size: i32): i32 {
  if (v != v) return 0; // NaN: a NaN stored in a Uint8ClampedArray is 0
  const x = v * <f32>size; // 0..size
  let ix = <i32>x;
  ix = ix < 0 ? 0 : ix > size - 1 ? size - 1 : ix;
  const t = x - <f32>ix, p = tab + (<usize>ix << 4);
  const g = ((load<f32>(p, 12) * t + load<f32>(p, 8)) * t + load<f32>(p, 4)) * t + load<f32>(p);
  const byte = <i32>(g * 255);
  return byte < 0 ? 0 : byte > 255 ? 255 : byte;
}

/**
 * n pixels of rows `width` wide from the L, a, b float32 planes (a and b times abScale first) to RGBA
 * bytes at `out` (alpha 255); the first pixel starts a row. Columns below simdCols take OpenCV's SIMD
 * steps (four pixels at a time here, each lane the same float32 operations as the scalar code), the
 * rest its scalar ones.
 */
export function labToRgba(L: usize, a: usize, b: usize, out: usize, n: i32, width: i32, simdCols: i32, abScale: f32, k: usize, tab: usize, size: i32): void {
  for (let row = 0; row < n; row += width) {
    const end = min(row + width, n), vecEnd = min(row + (simdCols & ~3), end);
    let p = row;
    if (vecEnd > p) {
      labToRgba4(L, a, b, out, p, vecEnd, abScale, k, tab, size);
      p = vecEnd;
    }
    const simdEnd = min(row + simdCols, end);
    if (simdEnd > p) labToRgbaScalar(L, a, b, out, p, simdEnd, true, abScale, k, tab, size);
    if (end > max(p, simdEnd)) labToRgbaScalar(L, a, b, out, max(p, simdEnd), end, false, abScale, k, tab, size);
  }
}

/** Pixels p0..p1 (a multiple of 4 apart) by OpenCV's SIMD steps, four at a time in float32x4. */
function labToRgba4(L: usize, a: usize, b: usize, out: usize, p0: i32, p1: i32, abScale: f32, k: usize, tab: usize, size: i32): void {
  const c0 = f32x4.splat(kf(k, K_C)), c1 = f32x4.splat(kf(k, K_C + 1)), c2 = f32x4.splat(kf(k, K_C + 2));
  const c3 = f32x4.splat(kf(k, K_C + 3)), c4 = f32x4.splat(kf(k, K_C + 4)), c5 = f32x4.splat(kf(k, K_C + 5));
  const c6 = f32x4.splat(kf(k, K_C + 6)), c7 = f32x4.splat(kf(k, K_C + 7)), c8 = f32x4.splat(kf(k, K_C + 8));
  const f7787 = f32x4.splat(kf(k, K_7787)), f16 = f32x4.splat(kf(k, K_16_116)), f629 = f32x4.splat(kf(k, K_6_29));
  const inv903 = f32x4.splat(kf(k, K_INV_903)), inv116 = f32x4.splat(kf(k, K_INV_116)), inv500 = f32x4.splat(kf(k, K_INV_500));
  const ninv200 = f32x4.splat(kf(k, K_NEG_INV_200)), inv7787 = f32x4.splat(kf(k, K_INV_7787));
  const scale = f32x4.splat(abScale), eight = f32x4.splat(8), sixteen = f32x4.splat(16);
  for (let p = p0; p < p1; p += 4) {
    const off = <usize>p << 2;
    const l = v128.load(L + off), av = f32x4.mul(v128.load(a + off), scale), bv = f32x4.mul(v128.load(b + off), scale);
    const dark = f32x4.le(l, eight);
    const yd = f32x4.mul(l, inv903);
    const fyl = f32x4.mul(f32x4.add(l, sixteen), inv116);
    const fy = v128.bitselect(f32x4.add(f32x4.mul(f7787, yd), f16), fyl, dark);
    const y = v128.bitselect(yd, f32x4.mul(f32x4.mul(fyl, fyl), fyl), dark);
    const x = cubeOrLinear(f32x4.add(f32x4.mul(av, inv500), fy), f629, f16, inv7787);
    const z = cubeOrLinear(f32x4.add(f32x4.mul(bv, ninv200), fy), f629, f16, inv7787);
    const r = f32x4.add(f32x4.mul(c0, x), f32x4.add(f32x4.mul(c1, y), f32x4.mul(c2, z)));
    const g = f32x4.add(f32x4.mul(c3, x), f32x4.add(f32x4.mul(c4, y), f32x4.mul(c5, z)));
    const bl = f32x4.add(f32x4.mul(c6, x), f32x4.add(f32x4.mul(c7, y), f32x4.mul(c8, z)));
    const rg = i16x8.narrow_i32x4_s(gammaBytes4(r, tab, size), gammaBytes4(g, tab, size));
    const ba = i16x8.narrow_i32x4_s(gammaBytes4(bl, tab, size), i32x4.splat(255));
    const planar = i8x16.narrow_i16x8_u(rg, ba); // r0..r3 g0..g3 b0..b3 a0..a3
    v128.store(out + off, i8x16.shuffle(planar, planar, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
  }
}

/** v <= 6/29 ? (v - 16/116) / 7.787 (as a reciprocal multiply) : v^3, per lane. */
// @ts-ignore: decorator
@inline function cubeOrLinear(v: v128, f629: v128, f16: v128, inv7787: v128): v128 {
  return v128.bitselect(f32x4.mul(f32x4.sub(v, f16), inv7787), f32x4.mul(f32x4.mul(v, v), v), f32x4.le(v, f629));
}

/**
 * gammaByte(clip01(v)) per lane. Clipped with pmax/pmin, which send NaN to 0 (whose byte is 0, as
 * gammaByte gives NaN); index and byte are truncated and clamped as floats, then made integers by
 * adding 2^23 and reading the low bits: exact for these whole numbers (0..1024, 0..255), and a few
 * instructions where i32x4.trunc_sat_f32x4_s takes seven.
 */
// @ts-ignore: decorator
@inline function gammaBytes4(v: v128, tab: usize, size: i32): v128 {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  const x = f32x4.mul(f32x4.pmin(one, f32x4.pmax(zero, v)), f32x4.splat(<f32>size));
  const xf = f32x4.pmin(f32x4.splat(<f32>(size - 1)), f32x4.floor(x));
  const ix = wholeToI32(xf);
  const t = f32x4.sub(x, xf);
  // each lane's [f, b, c, d], then transposed to one vector per coefficient
  const r0 = v128.load(tab + (<usize>i32x4.extract_lane(ix, 0) << 4)), r1 = v128.load(tab + (<usize>i32x4.extract_lane(ix, 1) << 4));
  const r2 = v128.load(tab + (<usize>i32x4.extract_lane(ix, 2) << 4)), r3 = v128.load(tab + (<usize>i32x4.extract_lane(ix, 3) << 4));
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  const cf = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), cb = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
  const cc = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), cd = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
  const gv = f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(cd, t), cc), t), cb), t), cf);
  return wholeToI32(f32x4.pmin(f32x4.splat(255), f32x4.pmax(zero, f32x4.trunc(f32x4.mul(gv, f32x4.splat(255))))));
}

/** Whole numbers 0..2^23 held as float32 lanes, as int32 lanes. */
// @ts-ignore: decorator
@inline function wholeToI32(v: v128): v128 {
  return i32x4.sub(f32x4.add(v, f32x4.splat(8388608)), i32x4.splat(0x4b000000));
}

/** Pixels p0..p1, one at a time, by OpenCV's SIMD steps (simdSteps) or its scalar ones. */
function labToRgbaScalar(L: usize, a: usize, b: usize, out: usize, p0: i32, p1: i32, simdSteps: bool, abScale: f32, k: usize, tab: usize, size: i32): void {
  const c0 = kf(k, K_C), c1 = kf(k, K_C + 1), c2 = kf(k, K_C + 2), c3 = kf(k, K_C + 3), c4 = kf(k, K_C + 4);
  const c5 = kf(k, K_C + 5), c6 = kf(k, K_C + 6), c7 = kf(k, K_C + 7), c8 = kf(k, K_C + 8);
  const f9033 = kf(k, K_9033), f7787 = kf(k, K_7787), f16 = kf(k, K_16_116), f629 = kf(k, K_6_29);
  const inv903 = kf(k, K_INV_903), inv116 = kf(k, K_INV_116), inv500 = kf(k, K_INV_500), ninv200 = kf(k, K_NEG_INV_200), inv7787 = kf(k, K_INV_7787);
  for (let p = p0; p < p1; p++) {
    const off = <usize>p << 2;
    const l = load<f32>(L + off), av = load<f32>(a + off) * abScale, bv = load<f32>(b + off) * abScale;
    let x: f32, y: f32, z: f32, fy: f32, r: f32, g: f32, bl: f32;
    if (simdSteps) {
      if (l <= 8) {
        y = l * inv903;
        fy = f7787 * y + f16;
      } else {
        fy = (l + 16) * inv116;
        y = fy * fy * fy;
      }
      x = av * inv500 + fy;
      z = bv * ninv200 + fy;
      x = x <= f629 ? (x - f16) * inv7787 : x * x * x;
      z = z <= f629 ? (z - f16) * inv7787 : z * z * z;
      r = c0 * x + (c1 * y + c2 * z);
      g = c3 * x + (c4 * y + c5 * z);
      bl = c6 * x + (c7 * y + c8 * z);
    } else {
      if (l <= 8) {
        y = l / f9033;
        fy = f7787 * y + f16;
      } else {
        fy = (l + 16) / 116;
        y = fy * fy * fy;
      }
      x = av / 500 + fy;
      z = fy - bv / 200;
      x = x <= f629 ? (x - f16) / f7787 : x * x * x;
      z = z <= f629 ? (z - f16) / f7787 : z * z * z;
      r = c0 * x + c1 * y + c2 * z;
      g = c3 * x + c4 * y + c5 * z;
      bl = c6 * x + c7 * y + c8 * z;
    }
    const o = out + off;
    store<u8>(o, <u8>gammaByte(clip01(r), tab, size));
    store<u8>(o, <u8>gammaByte(clip01(g), tab, size), 1);
    store<u8>(o, <u8>gammaByte(clip01(bl), tab, size), 2);
    store<u8>(o, 255, 3);
  }
}

/**
 * n RGBA pixels at `src` -> L, a, b float32 planes at outL, outA, outB. `lut`: the 33^3 x 3 int16
 * table; per byte value v (int32 each): `cell` its table offset along one axis (in entries, red's
 * step 3), `next` the step to the next node (0 on the last), `frac` its 1/16 position in the cell.
 * `green` and `blue` scale red's cell offsets and steps to their axes (33 and 33^2).
 */
export function rgbaToLab(src: usize, n: i32, lut: usize, cell: usize, next: usize, frac: usize, green: i32, blue: i32, outL: usize, outA: usize, outB: usize): void {
  // A pixel's 8 nodes are 4 pairs along red, each pair 6 bytes apart in the table: one load gives
  // both nodes' L, a, b, a shuffle puts them side by side (L0 L1 a0 a1 b0 b1), and one
  // i32x4.dot_i16x8_s multiplies each by its weight and adds the pair. The int16 values (0..16384)
  // and weights (at most 16^3) fit, the integer sums are exact, so the values are the scalar
  // definition's (cpu/lab.ts) to the bit. On red's last node (byte 255 only) the pair's second
  // node is the table's next entry, but its weight is 0: that byte's fraction is 0 (lab-wasm.ts checks).
  const round = i32x4.splat(2048);
  const scale = f32x4(<f32>(100.0 / 16384.0), <f32>(1.0 / 64.0), <f32>(1.0 / 64.0), 0);
  const shift = f32x4(0, 128, 128, 0);
  for (let p = 0; p < n; p++) {
    const s = src + (<usize>p << 2);
    const r = <usize>load<u8>(s) << 2, g = <usize>load<u8>(s, 1) << 2, b = <usize>load<u8>(s, 2) << 2;
    const k = load<i32>(cell + b) * blue + load<i32>(cell + g) * green + load<i32>(cell + r);
    const db = load<i32>(next + b) * blue, dg = load<i32>(next + g) * green;
    const xb = load<i32>(frac + b), xg = load<i32>(frac + g), xr = load<i32>(frac + r);
    const b0 = 16 - xb, g0 = 16 - xg;
    // the red weights (16 - xr, xr) in every pair of int16 lanes, times each pair's blue and green weight
    const red = i32x4.splat(((xr << 16) | (16 - xr)));
    const e0 = lut + (<usize>k << 1), e2 = e0 + (<usize>dg << 1), e4 = e0 + (<usize>db << 1), e6 = e4 + (<usize>dg << 1);
    let acc = i32x4.dot_i16x8_s(pairs(e0), i16x8.mul(red, i16x8.splat(<i16>(b0 * g0))));
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(pairs(e2), i16x8.mul(red, i16x8.splat(<i16>(b0 * xg)))));
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(pairs(e4), i16x8.mul(red, i16x8.splat(<i16>(xb * g0)))));
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(pairs(e6), i16x8.mul(red, i16x8.splat(<i16>(xb * xg)))));
    const lab = f32x4.sub(f32x4.mul(f32x4.convert_i32x4_s(i32x4.shr_s(i32x4.add(acc, round), 12)), scale), shift);
    const o = <usize>p << 2;
    store<f32>(outL + o, f32x4.extract_lane(lab, 0));
    store<f32>(outA + o, f32x4.extract_lane(lab, 1));
    store<f32>(outB + o, f32x4.extract_lane(lab, 2));
  }
}

/** The nodes at e and e + 6 bytes (L0 a0 b0 L1 a1 b1 ..) as int16 lanes L0 L1 a0 a1 b0 b1 (the last two unused). */
// @ts-ignore: decorator
@inline function pairs(e: usize): v128 {
  const v = v128.load(e);
  return i8x16.shuffle(v, v, 0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11, 12, 13, 14, 15);
}

/** dst[x] = src[i0[x]] (1 - f[x]) + src[i1[x]] f[x] for x < sw, in float64, rounded to float32. */
// @ts-ignore: decorator
@inline function blendRow(src: usize, i0: usize, i1: usize, fr: usize, sw: i32, dst: usize): void {
  for (let x = 0; x < sw; x++) {
    const o = <usize>x << 2;
    const f = <f64>load<f32>(fr + o);
    const v0 = <f64>load<f32>(src + (<usize>load<i32>(i0 + o) << 2)), v1 = <f64>load<f32>(src + (<usize>load<i32>(i1 + o) << 2));
    store<f32>(dst + o, <f32>(v0 * (1 - f) + v1 * f));
  }
}

/**
 * Output rows y0..y1 (ow wide) of a bilinear resize of one float32 plane `W` wide, whose row `first`
 * is at `src`: taps xi0/xi1/xf for the sw columns of the resized size, yi0/yi1/yf for its sh rows;
 * columns from sw and rows from sh on repeat the last (edge padding). row0 and row1: sw floats each,
 * for the horizontal passes of the two source rows (kept while the next output row uses them).
 */
export function resizeRows(
  src: usize, W: i32, first: i32, xi0: usize, xi1: usize, xf: usize, sw: i32,
  yi0: usize, yi1: usize, yf: usize, sh: i32, y0: i32, y1: i32, ow: i32, out: usize, row0: usize, row1: usize,
): void {
  let k0 = -1, k1 = -1;
  for (let oy = y0; oy < y1; oy++) {
    const y = oy < sh ? oy : sh - 1;
    const ya = load<i32>(yi0 + (<usize>y << 2)), yb = load<i32>(yi1 + (<usize>y << 2));
    if (k0 != ya) {
      if (k1 == ya) {
        const t = row0; row0 = row1; row1 = t;
        k1 = k0;
        k0 = ya;
      } else {
        blendRow(src + (<usize>(ya - first) * <usize>W << 2), xi0, xi1, xf, sw, row0);
        k0 = ya;
      }
    }
    if (k1 != yb) {
      blendRow(src + (<usize>(yb - first) * <usize>W << 2), xi0, xi1, xf, sw, row1);
      k1 = yb;
    }
    const f = <f64>load<f32>(yf + (<usize>y << 2));
    const o = out + (<usize>(oy - y0) * <usize>ow << 2);
    for (let ox = 0; ox < ow; ox++) {
      const x = <usize>(ox < sw ? ox : sw - 1) << 2;
      store<f32>(o + (<usize>ox << 2), <f32>(<f64>load<f32>(row0 + x) * (1 - f) + <f64>load<f32>(row1 + x) * f));
    }
  }
}

// ------------------------------------------------------------------ the RGB -> Lab table (opencv-lab-tables.ts)
// float32 operations here are the Math.fround(f64 op) of the TypeScript: for + - * / of float32
// values, rounding the float64 result to float32 is rounding the exact result.

const LTHRESH: f32 = <f32>(216.0 / 24389.0);
const LSCALE: f32 = <f32>(841.0 / 108.0);
const F16_116: f32 = <f32>(16.0 / 116.0);

/** fmaf: float32 x*y+z with one rounding, as the TypeScript fmaf (TwoSum on float64). */
function fmaf(x: f64, y: f64, z: f64): f64 {
  const p = x * y, s = p + z;
  const t = s - p, err = (p - (s - t)) + (z - t);
  const r = <f64><f32>s;
  if (err == 0 || r == s) return r;
  const other = <f64><f32>(2 * s - r);
  if (other == r || 2 * s - r != other) return r;
  return (err > 0) == (other > r) ? other : r;
}

/** OpenCV's software cube root of a positive normal float32, as the TypeScript cbrtf. */
function cbrtf(x: f32): f32 {
  const bits = reinterpret<u32>(x);
  let ex = <i32>((bits >>> 23) & 0xff) - 127;
  let shx = ex % 3;
  shx -= shx >= 0 ? 3 : 0;
  ex = (ex - shx) / 3 - 1;
  const hi = (<u32>(shx + 1023) << 20) | ((bits & 0x7fffff) >>> 3), lo = (bits & 7) << 29;
  const fr0 = reinterpret<f64>((<u64>hi << 32) | <u64>lo);
  const r = ((((45.2548339756803022511987494 * fr0 + 192.2798368355061050458134625) * fr0 + 119.1654824285581628956914143) * fr0
    + 13.43250139086239872172837314) * fr0 + 0.1636161226585754240958355063)
    / ((((14.80884093219134573786480845 * fr0 + 151.9714051044435648658557668) * fr0 + 168.5254414101568283957668343) * fr0
    + 33.9905941350215598754191872) * fr0 + 1.0);
  const rb = reinterpret<u64>(r), rhi = <u32>(rb >>> 32), rlo = <u32>rb;
  return reinterpret<f32>((<u32>(ex + 127) << 23) | ((rhi & 0xfffff) << 3) | (rlo >>> 29));
}

// @ts-ignore: decorator
@inline function labF(x: f32): f32 {
  return x > LTHRESH ? cbrtf(x) : <f32>fmaf(<f64>x, <f64>LSCALE, <f64>F16_116);
}

/** cvRound of a finite value: to nearest, ties to even. */
// @ts-ignore: decorator
@inline function roundEven(v: f32): i16 { return <i16><i32>nearest<f64>(<f64>v); }

/**
 * The 33^3 x 3 int16 table at `out` from S (9 float32: X, Y, Z rows times 1/white, blue first) and
 * lin (33 float32: the linear value of node i/32), as buildRgb2LabLut in opencv-lab-tables.ts.
 */
export function rgb2LabLut(S: usize, lin: usize, out: usize): void {
  const s0 = load<f32>(S), s1 = load<f32>(S, 4), s2 = load<f32>(S, 8), s3 = load<f32>(S, 12), s4 = load<f32>(S, 16);
  const s5 = load<f32>(S, 20), s6 = load<f32>(S, 24), s7 = load<f32>(S, 28), s8 = load<f32>(S, 32);
  const k24389: f32 = <f32>(24389.0 / 27.0);
  let o = out;
  for (let pb = 0; pb < 33; pb++) for (let pg = 0; pg < 33; pg++) for (let pr = 0; pr < 33; pr++) {
    const B = load<f32>(lin + (<usize>pb << 2)), G = load<f32>(lin + (<usize>pg << 2)), R = load<f32>(lin + (<usize>pr << 2));
    const X = (B * s0 + G * s1) + R * s2;
    const Y = (B * s3 + G * s4) + R * s5;
    const Z = (B * s6 + G * s7) + R * s8;
    const FX = labF(X), FY = labF(Y), FZ = labF(Z);
    const L: f32 = Y > LTHRESH ? <f32>116 * FY - <f32>16 : k24389 * Y;
    const a: f32 = <f32>500 * (FX - FY), b: f32 = <f32>200 * (FY - FZ);
    store<i16>(o, roundEven(<f32>16384 * L / <f32>100));
    store<i16>(o, roundEven(<f32>16384 * (a + <f32>128) / <f32>256), 2);
    store<i16>(o, roundEven(<f32>16384 * (b + <f32>128) / <f32>256), 4);
    o += 6;
  }
}
