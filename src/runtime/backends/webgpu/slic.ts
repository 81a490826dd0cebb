/**
 * Soft SLIC on WebGPU; the algorithm and feature scaling are documented in ../cpu/slic.ts (the
 * reference this is tested against). All steps go into one submission; the centre update reuses
 * the SP-Pooling kernel.
 */
import { SLIC_COLOR_UNIT, type SlicOptions, type SpGrid } from '../ops/superpixel-ops.ts';
import { SLIC_FEATURES } from '../shared/superpixel-checks.ts';
import type { GpuContext } from './gpu-context.ts';
import { GRID_WGSL, gridUniform, runSteps, tiles, type Scratch, type Step } from './sp-common.ts';
import { poolStep } from './sp-pool.ts';

const FEATURES_WGSL = /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> lab: array<f32>;        // [3,H,W]
@group(0) @binding(1) var<storage, read_write> f: array<f32>;    // [5,H,W]
@group(0) @binding(2) var<uniform> g: Grid;                      // s0 = colour scale, s1 = position scale

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let x = id.x; let y = id.y;
  if (x >= g.W || y >= g.H) { return; }
  let hw = g.H * g.W;
  let p = y * g.W + x;
  for (var c = 0u; c < 3u; c++) { f[c * hw + p] = lab[c * hw + p] * g.s0; }
  f[3u * hw + p] = f32(y) * g.s1;
  f[4u * hw + p] = f32(x) * g.s1;
}
`;

const CELL_MEAN_WGSL = /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> f: array<f32>;            // [C,H,W]
@group(0) @binding(1) var<storage, read_write> centres: array<f32>; // [C,gh,gw]
@group(0) @binding(2) var<uniform> g: Grid;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let tx = id.x; let ty = id.y; let c = id.z;
  if (tx >= g.gw || ty >= g.gh || c >= g.C) { return; }
  let hw = g.H * g.W;
  var s = 0.0;
  for (var yy = 0u; yy < g.cell; yy++) {
    let row = (ty * g.cell + yy) * g.W + tx * g.cell;
    for (var xx = 0u; xx < g.cell; xx++) { s += f[c * hw + row + xx]; }
  }
  centres[c * g.gh * g.gw + ty * g.gw + tx] = s / f32(g.cell * g.cell);
}
`;

const ASSIGN_WGSL = /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> f: array<f32>;            // [C,H,W]
@group(0) @binding(1) var<storage, read> centres: array<f32>;      // [C,gh,gw]
@group(0) @binding(2) var<storage, read_write> A: array<f32>;      // [9,H,W]
@group(0) @binding(3) var<uniform> g: Grid;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let x = id.x; let y = id.y;
  if (x >= g.W || y >= g.H) { return; }
  let hw = g.H * g.W;
  let n = g.gh * g.gw;
  let p = y * g.W + x;
  var d: array<f32, 9>;
  var dmin = 3.0e38;
  for (var k = 0u; k < 9u; k++) {
    let j = neighbour(g, y / g.cell, x / g.cell, k);
    d[k] = -1.0;
    if (j < 0) { continue; }
    var s = 0.0;
    for (var c = 0u; c < g.C; c++) {
      let e = f[c * hw + p] - centres[c * n + u32(j)];
      s += e * e;
    }
    d[k] = s;
    dmin = min(dmin, s);
  }
  var z = 0.0;
  for (var k = 0u; k < 9u; k++) { if (d[k] >= 0.0) { z += exp(dmin - d[k]); } }
  for (var k = 0u; k < 9u; k++) {
    A[k * hw + p] = select(0.0, exp(dmin - d[k]) / z, d[k] >= 0.0);
  }
}
`;

/** Writes the final association map of `lab` [3,H,W] into `out` [9,H,W]. */
export function runSlic(gpu: GpuContext, scratch: Scratch, g: SpGrid, lab: GPUBuffer, out: GPUBuffer, opts: SlicOptions): void {
  const C = SLIC_FEATURES;
  // Feature scales (s0 colour, s1 position), as in the CPU reference.
  const u = scratch.keep(gridUniform(gpu, g, { C, s0: 1 / SLIC_COLOR_UNIT, s1: opts.compactness / (g.cell * SLIC_COLOR_UNIT) }));
  // The pool kernel reads s0 as 1/cell^2, so it gets its own uniform.
  const uPool = scratch.keep(gridUniform(gpu, g, { C, s0: 1 / (g.cell * g.cell) }));
  const f = scratch.storage(C * g.H * g.W, 'slic-features');
  const centres = scratch.storage(C * g.h * g.w, 'slic-centres');
  const mass = scratch.storage(g.h * g.w, 'slic-mass');
  const steps: Step[] = [
    { pipeline: gpu.pipeline('slic-features', FEATURES_WGSL), buffers: [lab, f, u], groups: tiles(g.W, g.H) },
    { pipeline: gpu.pipeline('slic-cell-mean', CELL_MEAN_WGSL), buffers: [f, centres, u], groups: tiles(g.w, g.h, C) },
  ];
  const assign: Step = { pipeline: gpu.pipeline('slic-assign', ASSIGN_WGSL), buffers: [f, centres, out, u], groups: tiles(g.W, g.H) };
  steps.push(assign);
  for (let it = 1; it < opts.iterations; it++) {
    steps.push(poolStep(gpu, g, C, f, out, centres, mass, uPool), assign);
  }
  runSteps(gpu, steps);
}
