/**
 * sRGB (D65) <-> CIE Lab as OpenCV's float path defines it (SPEC §2), analytic. OpenCV's RGB->Lab
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

/** One pixel: float sRGB in 0..1 -> [L, a, b]. */
export function rgbToLabPixel(r: number, g: number, b: number): [number, number, number] {
  const R = linearise(r), G = linearise(g), B = linearise(b);
  const m = M_RGB2XYZ;
  const X = (m[0] * R + m[1] * G + m[2] * B) / WHITE_X;
  const Y = m[3] * R + m[4] * G + m[5] * B;
  const Z = (m[6] * R + m[7] * G + m[8] * B) / WHITE_Z;
  const fx = f(X), fy = f(Y), fz = f(Z);
  const L = Y > 0.008856 ? 116 * fy - 16 : 903.3 * Y;
  return [L, 500 * (fx - fy), 200 * (fy - fz)];
}

/** One pixel: Lab -> float sRGB clipped to 0..1. */
export function labToRgbPixel(L: number, a: number, b: number): [number, number, number] {
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
  return [
    gamma(clip01(m[0] * X + m[1] * Y + m[2] * Z)),
    gamma(clip01(m[3] * X + m[4] * Y + m[5] * Z)),
    gamma(clip01(m[6] * X + m[7] * Y + m[8] * Z)),
  ];
}

/** float32 0..1 -> uint8 as the official saving code does: x255 in float32, truncate. */
export const toU8 = (v: number): number => Math.trunc(Math.fround(Math.fround(v) * 255));

/** RGBA bytes -> Lab [1,3,H,W]. */
export function rgbToLabImage(image: ImageValue): CpuTensor {
  const { width: W, height: H, data } = image;
  const n = W * H;
  const out = new Float32Array(3 * n);
  for (let p = 0; p < n; p++) {
    const r = Math.fround(data[4 * p] / 255), g = Math.fround(data[4 * p + 1] / 255), b = Math.fround(data[4 * p + 2] / 255);
    const lab = rgbToLabPixel(r, g, b);
    out[p] = lab[0];
    out[n + p] = lab[1];
    out[2 * n + p] = lab[2];
  }
  return cpuTensor([1, 3, H, W], out);
}

/** Lab planes -> float sRGB planes [1,3,H,W] in 0..1 (the float stage of labToRgb, kept for tests). */
export function labToRgbFloat(L: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, n: number, abScale = 1): Float32Array {
  const out = new Float32Array(3 * n);
  for (let p = 0; p < n; p++) {
    const rgb = labToRgbPixel(L[p], Math.fround(a[p] * abScale), Math.fround(b[p] * abScale));
    out[p] = rgb[0];
    out[n + p] = rgb[1];
    out[2 * n + p] = rgb[2];
  }
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

/** A colour photo's gray version: Lab with a = b = 0, back to RGB; alpha kept. */
export function dropChromaImage(image: ImageValue): ImageValue {
  const lab = rgbToLabImage(image);
  const n = image.width * image.height;
  const zeros = new Float32Array(n);
  const out = rgbPlanesToImage(labToRgbFloat(lab.data.subarray(0, n), zeros, zeros, n), image.width, image.height);
  for (let p = 0; p < n; p++) out.data[4 * p + 3] = image.data[4 * p + 3];
  return { ...out, meta: { ...image.meta, hadColor: false } };
}
