/**
 * Colour propagation over the token grid on WebGPU; the method is documented in
 * ../cpu/propagate.ts (the reference this is tested against): neighbour weights, the feature-space
 * initial guess, then Jacobi sweeps ping-ponging between two buffers, all in one submission.
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import type { GpuContext } from './gpu-context.ts';
import { GRID_WGSL, gridUniform, runSteps, tiles, type Scratch, type Step } from './sp-common.ts';

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

const WEIGHTS_WGSL = /* wgsl */ `${GRID_WGSL}
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
`;

const INIT_WGSL = /* wgsl */ `${GRID_WGSL}
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
`;

const JACOBI_WGSL = /* wgsl */ `${GRID_WGSL}
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
`;

export interface SeedBuffers {
  /** int32 [K] token index per seed. */
  readonly cells: GPUBuffer;
  /** float32 [K,2] normalised ab per seed. */
  readonly ab: GPUBuffer;
  /** int32 [h*w] seed index per token or -1. */
  readonly fixed: GPUBuffer;
  readonly count: number;
}

/** Writes the propagated normalised ab [2,h,w] into `out`. */
export function runPropagate(
  gpu: GpuContext, scratch: Scratch, g: SpGrid, C: number, tokens: GPUBuffer, seeds: SeedBuffers,
  sigma: number, iterations: number, out: GPUBuffer,
): void {
  const n = g.h * g.w;
  const u = scratch.keep(gridUniform(gpu, g, { C, K: seeds.count, s0: 1 / (sigma * sigma) }));
  const wts = scratch.storage(8 * n, 'propagate-weights');
  const other = scratch.storage(2 * n, 'propagate-pingpong');
  // Ping-pong so that the last sweep writes into `out`.
  let cur = iterations % 2 === 0 ? out : other;
  let next = cur === out ? other : out;
  const steps: Step[] = [
    { pipeline: gpu.pipeline('propagate-weights', WEIGHTS_WGSL), buffers: [tokens, wts, u], groups: tiles(g.w, g.h) },
    { pipeline: gpu.pipeline('propagate-init', INIT_WGSL), buffers: [tokens, seeds.cells, seeds.ab, seeds.fixed, cur, u], groups: tiles(g.w, g.h) },
  ];
  const jacobi = gpu.pipeline('propagate-jacobi', JACOBI_WGSL);
  for (let it = 0; it < iterations; it++) {
    steps.push({ pipeline: jacobi, buffers: [wts, seeds.fixed, cur, next, u], groups: tiles(g.w, g.h) });
    [cur, next] = [next, cur];
  }
  runSteps(gpu, steps);
}
