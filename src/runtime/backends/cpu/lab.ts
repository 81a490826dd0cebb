/**
 * sRGB (D65) <-> CIE Lab as OpenCV's float path defines it (docs/disco-method.md §2), analytic. OpenCV's RGB->Lab
 * goes through a quantised lookup table, so this differs from it by up to 0.25 L / 0.6 ab; the
 * Lab->RGB direction matches it within 1e-4. The WGSL kernels (webgpu/kernels/lab.wgsl.ts) repeat
 * these constants.
 */
import { cpuTensor, type CpuTensor } from '../../values/tensor.ts';
import type { ImageValue } from '../../values/types.ts';

export const WHITE_X = 0.950456;
export const WHITE_Z = 1.088754;
/** RGB -> XYZ rows. */
export const M_RGB2XYZ = [0.412453, 0.35758, 0.180423, 0.212671, 0.71516, 0.072169, 0.019334, 0.119193, 0.950227] as const;
/** XYZ -> RGB rows (OpenCV's constants). */
export const M_XYZ2RGB = [3.240479, -1.53715, -0.498535, -0.969256, 1.875991, 0.041556, 0.055648, -0.204043, 1.057311] as const;

const linearise = (c: number): number => (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
const gamma = (v: number): number => (v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055);
const clip01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
const finv = (t: number): number => (t > 6 / 29 ? t * t * t : (t - 16 / 116) / 7.787);

/** Lab of linear-light RGB, written to out[i], out[i + stride], out[i + 2 * stride]. */
function labFromLinear(R: number, G: number, B: number, out: Float32Array | Float64Array, i: number, stride: number): void {
  const m = M_RGB2XYZ;
  const X = (m[0] * R + m[1] * G + m[2] * B) / WHITE_X;
  const Y = m[3] * R + m[4] * G + m[5] * B;
  const Z = (m[6] * R + m[7] * G + m[8] * B) / WHITE_Z;
  const fx = f(X), fy = f(Y), fz = f(Z);
  out[i] = Y > 0.008856 ? 116 * fy - 16 : 903.3 * Y;
  out[i + stride] = 500 * (fx - fy);
  out[i + 2 * stride] = 200 * (fy - fz);
}

/** Lab -> float sRGB clipped to 0..1, written to out[i], out[i + stride], out[i + 2 * stride]. */
function rgbFromLab(L: number, a: number, b: number, out: Float32Array | Float64Array, i: number, stride: number): void {
  let Y: number, fy: number;
  if (L > 7.9996) {
    fy = (L + 16) / 116;
    Y = fy * fy * fy;
  } else {
    Y = L / 903.3;
    fy = 7.787 * Y + 16 / 116;
  }
  const X = finv(fy + a / 500) * WHITE_X;
  const Z = finv(fy - b / 200) * WHITE_Z;
  const m = M_XYZ2RGB;
  out[i] = gamma(clip01(m[0] * X + m[1] * Y + m[2] * Z));
  out[i + stride] = gamma(clip01(m[3] * X + m[4] * Y + m[5] * Z));
  out[i + 2 * stride] = gamma(clip01(m[6] * X + m[7] * Y + m[8] * Z));
}

/** linearise(v / 255 in float32) for every byte value v: image pixels need no pow. */
const LINEAR_U8 = Float64Array.from({ length: 256 }, (_, v) => linearise(Math.fround(v / 255)));

const pixel = new Float64Array(3);

/** One pixel: float sRGB in 0..1 -> [L, a, b]. */
export function rgbToLabPixel(r: number, g: number, b: number): [number, number, number] {
  labFromLinear(linearise(r), linearise(g), linearise(b), pixel, 0, 1);
  return [pixel[0], pixel[1], pixel[2]];
}

/** One pixel: Lab -> float sRGB clipped to 0..1. */
export function labToRgbPixel(L: number, a: number, b: number): [number, number, number] {
  rgbFromLab(L, a, b, pixel, 0, 1);
  return [pixel[0], pixel[1], pixel[2]];
}

/** float32 0..1 -> uint8 as the official saving code does: x255 in float32, truncate. */
export const toU8 = (v: number): number => Math.trunc(Math.fround(Math.fround(v) * 255));

/** RGBA bytes -> Lab [1,3,H,W]. */
export function rgbToLabImage(image: ImageValue): CpuTensor {
  const { width: W, height: H, data } = image;
  const n = W * H;
  const out = new Float32Array(3 * n);
  for (let p = 0; p < n; p++) labFromLinear(LINEAR_U8[data[4 * p]], LINEAR_U8[data[4 * p + 1]], LINEAR_U8[data[4 * p + 2]], out, p, n);
  return cpuTensor([1, 3, H, W], out);
}

/** Lab planes -> float sRGB planes [1,3,H,W] in 0..1 (the float stage of labToRgb, kept for tests). */
export function labToRgbFloat(L: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, n: number, abScale = 1): Float32Array {
  const out = new Float32Array(3 * n);
  for (let p = 0; p < n; p++) rgbFromLab(L[p], Math.fround(a[p] * abScale), Math.fround(b[p] * abScale), out, p, n);
  return out;
}

/** Float sRGB planes -> RGBA bytes. */
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

/** Lab [1,3,H,W] -> RGBA bytes. */
export function labToRgbImage(lab: CpuTensor): ImageValue {
  const [, , H, W] = lab.shape;
  const n = H * W;
  const d = lab.data;
  return rgbPlanesToImage(labToRgbFloat(d.subarray(0, n), d.subarray(n, 2 * n), d.subarray(2 * n, 3 * n), n), W, H);
}

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
 * A colour photo's gray version: Lab with a = b = 0, back to RGB; alpha kept. Only L is computed
 * (a and b are dropped), with the same float32 rounding of L and of the RGB planes as going through
 * rgbToLabImage and labToRgbFloat. The result depends on the RGB triple alone, so a small
 * direct-mapped cache of triples skips the pow calls for repeated colours (every pixel of a gray photo).
 */
export function dropChromaImage(image: ImageValue): ImageValue {
  const { width, height, data: src } = image;
  const n = width * height;
  const data = new Uint8ClampedArray(4 * n);
  const m = M_RGB2XYZ;
  const rgb = new Float32Array(3);
  const keys = new Int32Array(1 << 16).fill(-1), grays = new Int32Array(1 << 16);
  for (let p = 0; p < n; p++) {
    const r = src[4 * p], g = src[4 * p + 1], b = src[4 * p + 2];
    const key = (r << 16) | (g << 8) | b;
    const slot = Math.imul(key, 0x9e3779b1) >>> 16;
    if (keys[slot] !== key) {
      const R = LINEAR_U8[r], G = LINEAR_U8[g], B = LINEAR_U8[b];
      const Y = m[3] * R + m[4] * G + m[5] * B;
      rgbFromLab(Math.fround(Y > 0.008856 ? 116 * f(Y) - 16 : 903.3 * Y), 0, 0, rgb, 0, 1);
      keys[slot] = key;
      grays[slot] = toU8(rgb[0]) | (toU8(rgb[1]) << 8) | (toU8(rgb[2]) << 16);
    }
    const out = grays[slot];
    data[4 * p] = out & 255;
    data[4 * p + 1] = (out >> 8) & 255;
    data[4 * p + 2] = out >> 16;
    data[4 * p + 3] = src[4 * p + 3];
  }
  return { width, height, data, meta: { ...image.meta, hadColor: false } };
}
