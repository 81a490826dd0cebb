/**
 * WGSL for docs/disco-method.md §6 (SP-Pooling, SP-Diffusion, superpixel sizes) and hard labels, checked against
 * the CPU references in ../cpu. Pooling gathers instead of scattering (no float atomics in WGSL):
 * the thread of token j and channel c visits, for each k, the cell j - offset_k, whose pixels reach
 * j through channel k.
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import type { GpuContext } from './gpu-context.ts';
import { GRID_WGSL, tiles, type Step } from './sp-common.ts';

const POOL_WGSL = /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> x: array<f32>;       // [C,H,W]
@group(0) @binding(1) var<storage, read> A: array<f32>;       // [9,H,W]
@group(0) @binding(2) var<storage, read_write> pooled: array<f32>; // [C,gh,gw]
@group(0) @binding(3) var<storage, read_write> mass: array<f32>;   // [gh,gw]
@group(0) @binding(4) var<uniform> g: Grid;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let tx = id.x; let ty = id.y; let c = id.z;
  if (tx >= g.gw || ty >= g.gh || c >= g.C) { return; }
  let hw = g.H * g.W;
  var num = 0.0;
  var den = 0.0;
  for (var k = 0u; k < 9u; k++) {
    // The cell q with q + offset_k = this token.
    let src = neighbour(g, ty, tx, 8u - k);
    if (src < 0) { continue; }
    let qy = u32(src) / g.gw; let qx = u32(src) % g.gw;
    for (var yy = 0u; yy < g.cell; yy++) {
      let row = (qy * g.cell + yy) * g.W + qx * g.cell;
      for (var xx = 0u; xx < g.cell; xx++) {
        let a = A[k * hw + row + xx];
        num += a * x[c * hw + row + xx];
        den += a;
      }
    }
  }
  let j = ty * g.gw + tx;
  let d = den * g.s0;  // s0 = 1 / cell^2, applied before the 1e-8 as in the official code
  pooled[c * g.gh * g.gw + j] = (num * g.s0) / (d + 1e-8);
  if (c == 0u) { mass[j] = d; }
}
`;

const DIFFUSE_WGSL = /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> t: array<f32>;       // [C,gh,gw]
@group(0) @binding(1) var<storage, read> A: array<f32>;       // [9,H,W]
@group(0) @binding(2) var<storage, read_write> out: array<f32>; // [C,H,W]
@group(0) @binding(3) var<uniform> g: Grid;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let x = id.x; let y = id.y; let c = id.z;
  if (x >= g.W || y >= g.H || c >= g.C) { return; }
  let hw = g.H * g.W;
  let p = y * g.W + x;
  let n = g.gh * g.gw;
  var acc = 0.0;
  for (var k = 0u; k < 9u; k++) {
    let j = neighbour(g, y / g.cell, x / g.cell, k);
    if (j >= 0) { acc += A[k * hw + p] * t[c * n + u32(j)]; }
  }
  out[c * hw + p] = acc;
}
`;

const SIZES_WGSL = /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> A: array<f32>;            // [9,H,W]
@group(0) @binding(1) var<storage, read_write> sizes: array<f32>;  // [gh,gw]
@group(0) @binding(2) var<uniform> g: Grid;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let tx = id.x; let ty = id.y;
  if (tx >= g.gw || ty >= g.gh) { return; }
  let hw = g.H * g.W;
  var count = 0u;
  for (var k = 0u; k < 9u; k++) {
    let src = neighbour(g, ty, tx, 8u - k);
    if (src < 0) { continue; }
    let qy = u32(src) / g.gw; let qx = u32(src) % g.gw;
    for (var yy = 0u; yy < g.cell; yy++) {
      let row = (qy * g.cell + yy) * g.W + qx * g.cell;
      for (var xx = 0u; xx < g.cell; xx++) {
        let p = row + xx;
        var m = A[p];
        for (var i = 1u; i < 9u; i++) { m = max(m, A[i * hw + p]); }
        if (A[k * hw + p] == m) { count++; }
      }
    }
  }
  sizes[ty * g.gw + tx] = f32(count) * g.s0;
}
`;

const LABELS_WGSL = /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> A: array<f32>;            // [9,H,W]
@group(0) @binding(1) var<storage, read_write> labels: array<i32>; // [H,W]
@group(0) @binding(2) var<uniform> g: Grid;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let x = id.x; let y = id.y;
  if (x >= g.W || y >= g.H) { return; }
  let hw = g.H * g.W;
  let p = y * g.W + x;
  var best = -1;
  var bestA = 0.0;
  for (var k = 0u; k < 9u; k++) {
    let j = neighbour(g, y / g.cell, x / g.cell, k);
    if (j < 0) { continue; }
    let a = A[k * hw + p];
    if (best < 0 || a > bestA) { best = j; bestA = a; }
  }
  labels[p] = best;
}
`;

/** pooled [C,h,w] and mass [h,w] of x [C,H,W] over A. */
export function poolStep(gpu: GpuContext, g: SpGrid, C: number, x: GPUBuffer, A: GPUBuffer, pooled: GPUBuffer, mass: GPUBuffer, uniform: GPUBuffer): Step {
  return { pipeline: gpu.pipeline('sp-pool', POOL_WGSL), buffers: [x, A, pooled, mass, uniform], groups: tiles(g.w, g.h, C) };
}

export function diffuseStep(gpu: GpuContext, g: SpGrid, C: number, t: GPUBuffer, A: GPUBuffer, out: GPUBuffer, uniform: GPUBuffer): Step {
  return { pipeline: gpu.pipeline('sp-diffuse', DIFFUSE_WGSL), buffers: [t, A, out, uniform], groups: tiles(g.W, g.H, C) };
}

export function sizesStep(gpu: GpuContext, g: SpGrid, A: GPUBuffer, sizes: GPUBuffer, uniform: GPUBuffer): Step {
  return { pipeline: gpu.pipeline('sp-sizes', SIZES_WGSL), buffers: [A, sizes, uniform], groups: tiles(g.w, g.h) };
}

export function labelsStep(gpu: GpuContext, g: SpGrid, A: GPUBuffer, labels: GPUBuffer, uniform: GPUBuffer): Step {
  return { pipeline: gpu.pipeline('sp-labels', LABELS_WGSL), buffers: [A, labels, uniform], groups: tiles(g.W, g.H) };
}
