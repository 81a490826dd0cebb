/**
 * The 313 ab bins on the GPU (docs/disco-method.md §3, cpu/ab-bins.ts): nearest-bin encoding, soft encoding,
 * decoding, the channel softmax and the per-token top-k. One invocation per pixel/token; `bins` is
 * the centre table (a, b pairs, unscaled) uploaded once per device.
 */
import { defineKernel, WG } from '../kernel.ts';
import { FLAT_INDEX } from './color-common.ts';

const HEAD = /* wgsl */ `
const NB: u32 = 313u;
${FLAT_INDEX}
fn d2(a: f32, b: f32, k: u32) -> f32 {
  let da = a - bins[2u * k];
  let db = b - bins[2u * k + 1u];
  return da * da + db * db;
}`;

/** abN [N,2,HW] -> int32 labels [N,1,HW]; the first bin wins exact ties. */
export const ENCODE = defineKernel('encode', [WG, 1, 1], /* wgsl */ `
struct U { N: u32, HW: u32 }
@group(0) @binding(0) var<storage, read> bins: array<f32>;
@group(0) @binding(1) var<storage, read> ab: array<f32>;
@group(0) @binding(2) var<storage, read_write> labels: array<i32>;
@group(0) @binding(3) var<uniform> u: U;
${HEAD}

@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= u.N * u.HW) { return; }
  let n = i / u.HW;
  let p = i % u.HW;
  let a = ab[2u * n * u.HW + p] * 110.0;
  let b = ab[(2u * n + 1u) * u.HW + p] * 110.0;
  var best = 0u;
  var bestD = d2(a, b, 0u);
  for (var k = 1u; k < NB; k++) {
    let d = d2(a, b, k);
    if (d < bestD) { bestD = d; best = k; }
  }
  labels[i] = i32(best);
}`);

/** abN [N,2,HW] -> soft encoding [N,313,HW]: 5 nearest bins, exp(-d^2/50), normalised. */
export const SOFT_ENCODE = defineKernel('soft-encode', [WG, 1, 1], /* wgsl */ `
struct U { N: u32, HW: u32 }
@group(0) @binding(0) var<storage, read> bins: array<f32>;
@group(0) @binding(1) var<storage, read> ab: array<f32>;
@group(0) @binding(2) var<storage, read_write> soft: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
${HEAD}

@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= u.N * u.HW) { return; }
  let n = i / u.HW;
  let p = i % u.HW;
  let a = ab[2u * n * u.HW + p] * 110.0;
  let b = ab[(2u * n + 1u) * u.HW + p] * 110.0;
  var nk: array<u32, 5>;
  var nd: array<f32, 5>;
  for (var j = 0u; j < 5u; j++) { nd[j] = 3.0e38; nk[j] = 0u; }
  for (var k = 0u; k < NB; k++) {
    let d = d2(a, b, k);
    if (d < nd[4]) {
      // insertion into the sorted 5-list; equal distances keep the lower index first
      var j = 4u;
      while (j > 0u && nd[j - 1u] > d) { nd[j] = nd[j - 1u]; nk[j] = nk[j - 1u]; j--; }
      nd[j] = d;
      nk[j] = k;
    }
  }
  let base = n * NB * u.HW + p;
  for (var k = 0u; k < NB; k++) { soft[base + k * u.HW] = 0.0; }
  var w: array<f32, 5>;
  var sum = 0.0;
  for (var j = 0u; j < 5u; j++) { w[j] = exp(-nd[j] / 50.0); sum += w[j]; }
  for (var j = 0u; j < 5u; j++) { soft[base + nk[j] * u.HW] = w[j] / sum; }
}`);

/**
 * int32 labels [N,1,HW] -> centres/110 [N,2,HW]; a label outside 0..312 gives NaN (kernels cannot
 * throw). NaN arrives as uniform bits because WGSL rejects a NaN constant.
 */
export const DECODE = defineKernel('decode', [WG, 1, 1], /* wgsl */ `
struct U { N: u32, HW: u32, nanBits: u32 }
@group(0) @binding(0) var<storage, read> bins: array<f32>;
@group(0) @binding(1) var<storage, read> labels: array<i32>;
@group(0) @binding(2) var<storage, read_write> ab: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
${HEAD}

@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= u.N * u.HW) { return; }
  let n = i / u.HW;
  let p = i % u.HW;
  let k = labels[i];
  var a = bitcast<f32>(u.nanBits);
  var b = a;
  if (k >= 0 && u32(k) < NB) { a = bins[2u * u32(k)] / 110.0; b = bins[2u * u32(k) + 1u] / 110.0; }
  ab[2u * n * u.HW + p] = a;
  ab[(2u * n + 1u) * u.HW + p] = b;
}`);

/** Softmax over C channels of [N,C,HW], max-subtracted. */
export const SOFTMAX = defineKernel('softmax', [WG, 1, 1], /* wgsl */ `
struct U { N: u32, C: u32, HW: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;
@group(0) @binding(2) var<uniform> u: U;
${FLAT_INDEX}

@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= u.N * u.HW) { return; }
  let base = (i / u.HW) * u.C * u.HW + i % u.HW;
  var mx = -3.0e38;
  for (var c = 0u; c < u.C; c++) { mx = max(mx, x[base + c * u.HW]); }
  var sum = 0.0;
  for (var c = 0u; c < u.C; c++) { let e = exp(x[base + c * u.HW] - mx); y[base + c * u.HW] = e; sum += e; }
  for (var c = 0u; c < u.C; c++) { y[base + c * u.HW] = y[base + c * u.HW] / sum; }
}`);

/**
 * Top-k channels of [N,C,HW] by (probability descending, index ascending). Rank r is the largest
 * entry strictly after rank r-1 in that order, so no scratch memory is needed (O(k*C) per token).
 */
export const TOPK = defineKernel('topk', [WG, 1, 1], /* wgsl */ `
struct U { N: u32, C: u32, HW: u32, K: u32 }
@group(0) @binding(0) var<storage, read> probs: array<f32>;
@group(0) @binding(1) var<storage, read_write> topIdx: array<i32>;
@group(0) @binding(2) var<storage, read_write> topVal: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
${FLAT_INDEX}

@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  if (i >= u.N * u.HW) { return; }
  let n = i / u.HW;
  let p = i % u.HW;
  let base = n * u.C * u.HW + p;
  var prevV = 3.0e38;
  var prevC = -1;
  for (var r = 0u; r < u.K; r++) {
    var bestC = -1;
    var bestV = -3.0e38;
    for (var c = 0; c < i32(u.C); c++) {
      let v = probs[base + u32(c) * u.HW];
      let after = v < prevV || (v == prevV && c > prevC);
      if (after && (bestC < 0 || v > bestV)) { bestC = c; bestV = v; }
    }
    topIdx[(n * u.K + r) * u.HW + p] = bestC;
    topVal[(n * u.K + r) * u.HW + p] = bestV;
    prevV = bestV;
    prevC = bestC;
  }
}`);
