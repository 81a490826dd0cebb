/** WGSL of colour propagation (the method: ../../cpu/propagate.ts): neighbour weights, the initial guess, a Jacobi sweep. */
import { defineKernel } from '../kernel.ts';
import { GRID_WGSL } from './superpixel.wgsl.ts';

// The 8 neighbours of the Laplacian are the 9 offsets of docs/disco-method.md §0 without the centre (k = 4).
const NB_WGSL = /* wgsl */ `
fn nb8(g: Grid, i: u32, k8: u32) -> i32 {
  return neighbour(g, i / g.gw, i % g.gw, select(k8, k8 + 1u, k8 >= 4u));
}
fn dist2(g: Grid, i: u32, j: u32) -> f32 {
  let n = g.gh * g.gw;
  var s = 0.0;
  for (var c = 0u; c < g.C; c++) { let e = t[c * n + i] - t[c * n + j]; s += e * e; }
  return s;
}
`;

export const PROPAGATE_WEIGHTS = defineKernel('propagate-weights', [8, 8, 1], /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> t: array<f32>;            // tokens [C,gh,gw]
@group(0) @binding(1) var<storage, read_write> wts: array<f32>;    // [8,gh,gw]
@group(0) @binding(2) var<uniform> g: Grid;                        // s0 = 1 / sigma^2
${NB_WGSL}
@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= g.gw || id.y >= g.gh) { return; }
  let n = g.gh * g.gw;
  let i = id.y * g.gw + id.x;
  for (var k = 0u; k < 8u; k++) {
    let j = nb8(g, i, k);
    wts[k * n + i] = select(0.0, exp(-dist2(g, i, u32(max(j, 0))) * g.s0), j >= 0);
  }
}
`);

export const PROPAGATE_INIT = defineKernel('propagate-init', [8, 8, 1], /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> t: array<f32>;            // tokens [C,gh,gw]
@group(0) @binding(1) var<storage, read> seedCell: array<i32>;     // [K]
@group(0) @binding(2) var<storage, read> seedAb: array<f32>;       // [K,2], normalised
@group(0) @binding(3) var<storage, read> fixed: array<i32>;        // [gh,gw] seed index or -1
@group(0) @binding(4) var<storage, read_write> ab: array<f32>;     // [2,gh,gw]
@group(0) @binding(5) var<uniform> g: Grid;
${NB_WGSL}
@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= g.gw || id.y >= g.gh) { return; }
  let n = g.gh * g.gw;
  let i = id.y * g.gw + id.x;
  let s = fixed[i];
  if (s >= 0) { ab[i] = seedAb[2 * s]; ab[n + i] = seedAb[2 * s + 1]; return; }
  var dmin = 3.0e38;
  for (var k = 0u; k < g.K; k++) { dmin = min(dmin, dist2(g, i, u32(seedCell[k]))); }
  var z = 0.0; var a = 0.0; var b = 0.0;
  for (var k = 0u; k < g.K; k++) {
    let w = exp(-(dist2(g, i, u32(seedCell[k])) - dmin) * g.s0);
    z += w; a += w * seedAb[2u * k]; b += w * seedAb[2u * k + 1u];
  }
  ab[i] = a / z;
  ab[n + i] = b / z;
}
`);

export const PROPAGATE_JACOBI = defineKernel('propagate-jacobi', [8, 8, 1], /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> wts: array<f32>;          // [8,gh,gw]
@group(0) @binding(1) var<storage, read> fixed: array<i32>;        // [gh,gw]
@group(0) @binding(2) var<storage, read> cur: array<f32>;          // [2,gh,gw]
@group(0) @binding(3) var<storage, read_write> next: array<f32>;   // [2,gh,gw]
@group(0) @binding(4) var<uniform> g: Grid;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= g.gw || id.y >= g.gh) { return; }
  let n = g.gh * g.gw;
  let i = id.y * g.gw + id.x;
  if (fixed[i] >= 0) { next[i] = cur[i]; next[n + i] = cur[n + i]; return; }
  var z = 0.0; var a = 0.0; var b = 0.0;
  for (var k = 0u; k < 8u; k++) {
    let w = wts[k * n + i];
    if (w == 0.0) { continue; }
    let kk = select(k, k + 1u, k >= 4u);
    let j = u32(neighbour(g, id.y, id.x, kk));
    z += w; a += w * cur[j]; b += w * cur[n + j];
  }
  if (z < 1e-12) { next[i] = cur[i]; next[n + i] = cur[n + i]; return; }
  next[i] = a / z;
  next[n + i] = b / z;
}
`);
