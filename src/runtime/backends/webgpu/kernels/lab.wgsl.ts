/**
 * sRGB <-> Lab kernels; constants and formulas as in cpu/lab.ts (docs/disco-method.md §2).
 * RGB_TO_LAB reads RGBA bytes packed one pixel per u32 (little-endian: r is the low byte).
 * LAB_TO_RGB reads L from one buffer and a, b from another, so it serves plain Lab->RGB, recombine
 * (full-res L + upscaled ab x110) and chroma dropping (abScale 0); it writes packed RGBA, alpha 255.
 */
import { FLAT_INDEX, WG } from './color-common.ts';

export const RGB_TO_LAB = /* wgsl */ `
struct U { n: u32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read> rgba: array<u32>;
@group(0) @binding(2) var<storage, read_write> lab: array<f32>;
${FLAT_INDEX}

fn linearise(c: f32) -> f32 {
  if (c <= 0.04045) { return c / 12.92; }
  return pow((c + 0.055) / 1.055, 2.4);
}
fn f(t: f32) -> f32 {
  if (t > 0.008856) { return pow(t, 1.0 / 3.0); }
  return 7.787 * t + 16.0 / 116.0;
}

@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = flat_index(gid, nwg);
  if (p >= u.n) { return; }
  let px = rgba[p];
  let R = linearise(f32(px & 255u) / 255.0);
  let G = linearise(f32((px >> 8u) & 255u) / 255.0);
  let B = linearise(f32((px >> 16u) & 255u) / 255.0);
  let X = (0.412453 * R + 0.357580 * G + 0.180423 * B) / 0.950456;
  let Y = 0.212671 * R + 0.715160 * G + 0.072169 * B;
  let Z = (0.019334 * R + 0.119193 * G + 0.950227 * B) / 1.088754;
  let fx = f(X);
  let fy = f(Y);
  let fz = f(Z);
  var L = 903.3 * Y;
  if (Y > 0.008856) { L = 116.0 * fy - 16.0; }
  lab[p] = L;
  lab[u.n + p] = 500.0 * (fx - fy);
  lab[2u * u.n + p] = 200.0 * (fy - fz);
}`;

export const LAB_TO_RGB = /* wgsl */ `
struct U { width: u32, height: u32, lStride: u32, abOffset: u32, abPlane: u32, abScale: f32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read> Lsrc: array<f32>;
@group(0) @binding(2) var<storage, read> absrc: array<f32>;
@group(0) @binding(3) var<storage, read_write> rgba: array<u32>;
${FLAT_INDEX}

fn finv(t: f32) -> f32 {
  if (t > 6.0 / 29.0) { return t * t * t; }
  return (t - 16.0 / 116.0) / 7.787;
}
fn gamma(v: f32) -> f32 {
  if (v <= 0.0031308) { return 12.92 * v; }
  return 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}
fn to_u8(v: f32) -> u32 {
  return u32(trunc(gamma(clamp(v, 0.0, 1.0)) * 255.0));
}

@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = flat_index(gid, nwg);
  let n = u.width * u.height;
  if (p >= n) { return; }
  let y = p / u.width;
  let x = p % u.width;
  let L = Lsrc[y * u.lStride + x];
  let a = absrc[u.abOffset + p] * u.abScale;
  let b = absrc[u.abOffset + u.abPlane + p] * u.abScale;
  var Y: f32;
  var fy: f32;
  if (L > 7.9996) {
    fy = (L + 16.0) / 116.0;
    Y = fy * fy * fy;
  } else {
    Y = L / 903.3;
    fy = 7.787 * Y + 16.0 / 116.0;
  }
  let X = finv(fy + a / 500.0) * 0.950456;
  let Z = finv(fy - b / 200.0) * 1.088754;
  let r = to_u8(3.240479 * X - 1.53715 * Y - 0.498535 * Z);
  let g = to_u8(-0.969256 * X + 1.875991 * Y + 0.041556 * Z);
  let bl = to_u8(0.055648 * X - 0.204043 * Y + 1.057311 * Z);
  rgba[p] = r | (g << 8u) | (bl << 16u) | (255u << 24u);
}`;

/** out = (x * mul + add) / div, elementwise (the Lab normalisations). */
export const AFFINE = /* wgsl */ `
struct U { n: u32, mul: f32, add: f32, div: f32 }
@group(0) @binding(0) var<uniform> u: U;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
${FLAT_INDEX}

@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= u.n) { return; }
  dst[i] = (src[i] * u.mul + u.add) / u.div;
}`;
