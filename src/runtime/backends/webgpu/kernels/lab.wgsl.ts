/**
 * sRGB <-> Lab kernels reproducing OpenCV's cvtColor step for step, as cpu/lab.ts does (docs/disco-method.md §2).
 * RGB_TO_LAB reads RGBA bytes packed one pixel per u32 (little-endian: r is the low byte) and the
 * table buffer of `labTableBuffer` (the 33^3 LUT codes, then each byte's fixed-point input); it is
 * integer arithmetic up to one exact float scaling, so it matches the CPU bit for bit anywhere.
 * LAB_TO_RGB reads L from one buffer and a, b from another, so it serves plain Lab->RGB, recombine
 * (full-res L + upscaled ab x110) and chroma dropping (abScale 0); it writes packed RGBA, alpha 255.
 * Its float32 steps follow OpenCV's order (SIMD code for the first `simdCols` pixels of a row, scalar
 * code after), then the gamma spline of `invGammaSplineTab`. WGSL lets a GPU divide to 2.5 ULP and
 * fuse a multiply-add; where a GPU does either, a byte can differ by one on rare pixels (the tests
 * hold it bit-exact on SwiftShader).
 */
import { F_16_116, F_6_29, F_7787, F_9033, GAMMA_TAB_SIZE, LUT_DIM, XYZ2RGB_F } from '../../common/opencv-lab-tables.ts';
import { defineKernel, WG } from '../kernel.ts';
import { FLAT_INDEX } from './color-common.ts';

/** A float32 as a WGSL literal that parses back to the same float32. */
const lit = (v: number): string => {
  const s = Math.fround(v).toPrecision(9);
  return /[.e]/.test(s) ? s : `${s}.0`;
};
const LUT_N = LUT_DIM ** 3 * 3;

export const RGB_TO_LAB = defineKernel('rgb-to-lab', [WG, 1, 1], /* wgsl */ `
struct U { n: u32 }
@group(0) @binding(0) var<storage, read> rgba: array<u32>;
@group(0) @binding(1) var<storage, read> tab: array<i32>;
@group(0) @binding(2) var<storage, read_write> lab: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
${FLAT_INDEX}

@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = flat_index(gid, nwg);
  if (p >= u.n) { return; }
  let px = rgba[p];
  let cr = tab[${LUT_N}u + (px & 255u)];
  let cg = tab[${LUT_N}u + ((px >> 8u) & 255u)];
  let cb = tab[${LUT_N}u + ((px >> 16u) & 255u)];
  let tb = cb >> 9u; let tg = cg >> 9u; let tr = cr >> 9u;
  let xb = (cb >> 5u) & 15; let xg = (cg >> 5u) & 15; let xr = (cr >> 5u) & 15;
  let o = tb * ${LUT_DIM * LUT_DIM * 3} + tg * ${LUT_DIM * 3} + tr * 3;
  let db = select(0, ${LUT_DIM * LUT_DIM * 3}, tb < ${LUT_DIM - 1});
  let dg = select(0, ${LUT_DIM * 3}, tg < ${LUT_DIM - 1});
  let dr = select(0, 3, tr < ${LUT_DIM - 1});
  let b0 = 16 - xb; let g0 = 16 - xg; let r0 = 16 - xr;
  for (var c = 0; c < 3; c++) {
    let k = o + c;
    let s = tab[k] * b0 * g0 * r0 + tab[k + dr] * b0 * g0 * xr + tab[k + dg] * b0 * xg * r0 + tab[k + dg + dr] * b0 * xg * xr
      + tab[k + db] * xb * g0 * r0 + tab[k + db + dr] * xb * g0 * xr + tab[k + db + dg] * xb * xg * r0
      + tab[k + db + dg + dr] * xb * xg * xr;
    let code = (s + 2048) >> 12u;
    if (c == 0) { lab[p] = f32(code) * 0.006103515625; } // x 100/16384, one rounding
    else { lab[u32(c) * u.n + p] = f32(code - 8192) * 0.015625; } // /64 - 128, exact
  }
}`);

const C = Array.from(XYZ2RGB_F, lit);

export const LAB_TO_RGB = defineKernel('lab-to-rgb', [WG, 1, 1], /* wgsl */ `
struct U { width: u32, height: u32, lStride: u32, abOffset: u32, abPlane: u32, abScale: f32, simdCols: u32 }
@group(0) @binding(0) var<storage, read> Lsrc: array<f32>;
@group(0) @binding(1) var<storage, read> absrc: array<f32>;
@group(0) @binding(2) var<storage, read> spline: array<f32>;
@group(0) @binding(3) var<storage, read_write> rgba: array<u32>;
@group(0) @binding(4) var<uniform> u: U;
${FLAT_INDEX}

const F16_116 = ${lit(F_16_116)};
const F7787 = ${lit(F_7787)};
const F9033 = ${lit(F_9033)};
const F6_29 = ${lit(F_6_29)};

fn gamma_u8(v: f32) -> u32 {
  let x = clamp(v, 0.0, 1.0) * ${lit(GAMMA_TAB_SIZE)};
  let ix = u32(clamp(i32(trunc(x)), 0, ${GAMMA_TAB_SIZE - 1}));
  let t = x - f32(ix);
  let k = 4u * ix;
  let g = ((spline[k + 3u] * t + spline[k + 2u]) * t + spline[k + 1u]) * t + spline[k];
  return u32(trunc(g * 255.0));
}

@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let p = flat_index(gid, nwg);
  let n = u.width * u.height;
  if (p >= n) { return; }
  let y0 = p / u.width;
  let x0 = p % u.width;
  let L = Lsrc[y0 * u.lStride + x0];
  let a = absrc[u.abOffset + p] * u.abScale;
  let b = absrc[u.abOffset + u.abPlane + p] * u.abScale;
  let simd = x0 < u.simdCols;
  var y: f32;
  var fy: f32;
  var fx: f32;
  var fz: f32;
  if (simd) {
    // OpenCV's SIMD code: reciprocal constants, no FMA on SSE2
    if (L <= 8.0) { y = L * ${lit(1 / F_9033)}; fy = F7787 * y + F16_116; }
    else { fy = (L + 16.0) * ${lit(1 / 116)}; y = fy * fy * fy; }
    fx = a * ${lit(1 / 500)} + fy;
    fz = b * ${lit(-1 / 200)} + fy;
    if (fx <= F6_29) { fx = (fx - F16_116) * ${lit(1 / F_7787)}; } else { fx = fx * fx * fx; }
    if (fz <= F6_29) { fz = (fz - F16_116) * ${lit(1 / F_7787)}; } else { fz = fz * fz * fz; }
  } else {
    if (L <= 8.0) { y = L / F9033; fy = F7787 * y + F16_116; }
    else { fy = (L + 16.0) / 116.0; y = fy * fy * fy; }
    fx = a / 500.0 + fy;
    fz = fy - b / 200.0;
    if (fx <= F6_29) { fx = (fx - F16_116) / F7787; } else { fx = fx * fx * fx; }
    if (fz <= F6_29) { fz = (fz - F16_116) / F7787; } else { fz = fz * fz * fz; }
  }
  var r: f32;
  var g: f32;
  var bl: f32;
  if (simd) {
    r = ${C[0]} * fx + (${C[1]} * y + ${C[2]} * fz);
    g = ${C[3]} * fx + (${C[4]} * y + ${C[5]} * fz);
    bl = ${C[6]} * fx + (${C[7]} * y + ${C[8]} * fz);
  } else {
    r = ${C[0]} * fx + ${C[1]} * y + ${C[2]} * fz;
    g = ${C[3]} * fx + ${C[4]} * y + ${C[5]} * fz;
    bl = ${C[6]} * fx + ${C[7]} * y + ${C[8]} * fz;
  }
  rgba[p] = gamma_u8(r) | (gamma_u8(g) << 8u) | (gamma_u8(bl) << 16u) | (255u << 24u);
}`);

/** out = (x * mul + add) / div, elementwise (the Lab normalisations). */
export const AFFINE = defineKernel('affine', [WG, 1, 1], /* wgsl */ `
struct U { n: u32, mul: f32, add: f32, div: f32 }
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<uniform> u: U;
${FLAT_INDEX}

@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= u.n) { return; }
  dst[i] = (src[i] * u.mul + u.add) / u.div;
}`);
