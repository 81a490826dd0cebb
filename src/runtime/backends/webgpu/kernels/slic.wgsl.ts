/** WGSL of soft SLIC (the method: ../../cpu/slic.ts): features, cell means, soft assignment. */
import { defineKernel } from '../kernel.ts';
import { GRID_WGSL } from './superpixel.wgsl.ts';

export const SLIC_FEATURES_K = defineKernel('slic-features', [8, 8, 1], /* wgsl */ `${GRID_WGSL}
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
`);

export const SLIC_CELL_MEAN = defineKernel('slic-cell-mean', [8, 8, 1], /* wgsl */ `${GRID_WGSL}
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
`);

export const SLIC_ASSIGN = defineKernel('slic-assign', [8, 8, 1], /* wgsl */ `${GRID_WGSL}
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
`);
