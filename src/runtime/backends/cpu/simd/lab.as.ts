/**
 * AssemblyScript source of OpenCV's float Lab -> RGB (compiled by `npm run build:wasm` into
 * lab.wasm.ts; loaded by lab-wasm.ts), written straight to RGBA bytes. The same float32 steps as
 * cpu/lab.ts (rgbFromLabSimd / rgbFromLabScalar, gammaSpline, toU8): every f32 operation here rounds
 * like Math.fround there, and WebAssembly fuses no multiply-add, so the bytes are the same.
 * Pointers are byte offsets into the imported memory.
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
 * bytes at `out` (alpha 255). Columns below simdCols take OpenCV's SIMD steps, the rest its scalar ones.
 */
export function labToRgba(L: usize, a: usize, b: usize, out: usize, n: i32, width: i32, simdCols: i32, abScale: f32, k: usize, tab: usize, size: i32): void {
  const c0 = kf(k, K_C), c1 = kf(k, K_C + 1), c2 = kf(k, K_C + 2), c3 = kf(k, K_C + 3), c4 = kf(k, K_C + 4);
  const c5 = kf(k, K_C + 5), c6 = kf(k, K_C + 6), c7 = kf(k, K_C + 7), c8 = kf(k, K_C + 8);
  const f9033 = kf(k, K_9033), f7787 = kf(k, K_7787), f16 = kf(k, K_16_116), f629 = kf(k, K_6_29);
  const inv903 = kf(k, K_INV_903), inv116 = kf(k, K_INV_116), inv500 = kf(k, K_INV_500), ninv200 = kf(k, K_NEG_INV_200), inv7787 = kf(k, K_INV_7787);
  let col = 0;
  for (let p = 0; p < n; p++) {
    const off = <usize>p << 2;
    const l = load<f32>(L + off), av = load<f32>(a + off) * abScale, bv = load<f32>(b + off) * abScale;
    let x: f32, y: f32, z: f32, fy: f32, r: f32, g: f32, bl: f32;
    if (col < simdCols) {
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
    col = col + 1 == width ? 0 : col + 1;
  }
}
