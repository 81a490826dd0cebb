/**
 * WGSL of the superpixel stages (docs/disco-method.md §6): SP-Pooling, SP-Diffusion, superpixel sizes
 * and hard labels. Every kernel binds its storage buffers first and the `Grid` uniform last (it uses
 * the fields it needs). Pixel kernels run one invocation per (x, y) with 8x8x1 workgroups (SP-Diffusion
 * loops over the channels),
 * token kernels one per (token column, token row, channel). Pooling gathers instead of scattering (no
 * float atomics in WGSL): the thread of token j and channel c visits, for each k, the cell j - offset_k,
 * whose pixels reach j through channel k.
 */
import { defineKernel } from '../kernel.ts';

export const GRID_WGSL = /* wgsl */ `
struct Grid { H: u32, W: u32, gh: u32, gw: u32, cell: u32, C: u32, K: u32, s0: f32, s1: f32 }

// Token index of the neighbour cell k (docs/disco-method.md §0 offsets) of cell (cy, cx), or -1 outside the grid.
fn neighbour(g: Grid, cy: u32, cx: u32, k: u32) -> i32 {
  let ny = i32(cy) + i32(k / 3u) - 1;
  let nx = i32(cx) + i32(k % 3u) - 1;
  if (ny < 0 || nx < 0 || ny >= i32(g.gh) || nx >= i32(g.gw)) { return -1; }
  return ny * i32(g.gw) + nx;
}
`;

export const SP_POOL = defineKernel('sp-pool', [8, 8, 1], /* wgsl */ `${GRID_WGSL}
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
`);

export const SP_DIFFUSE = defineKernel('sp-diffuse', [8, 8, 1], /* wgsl */ `${GRID_WGSL}
@group(0) @binding(0) var<storage, read> t: array<f32>;       // [C,gh,gw]
@group(0) @binding(1) var<storage, read> A: array<f32>;       // [9,H,W]
@group(0) @binding(2) var<storage, read_write> out: array<f32>; // [C,H,W]
@group(0) @binding(3) var<uniform> g: Grid;

// One invocation per pixel, all channels: the 9 weights and neighbour tokens are found once, not per
// channel (which made this the slowest stage on a software adapter). Each channel still sums k = 0..8.
@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let x = id.x; let y = id.y;
  if (x >= g.W || y >= g.H) { return; }
  let hw = g.H * g.W;
  let p = y * g.W + x;
  let n = g.gh * g.gw;
  var a: array<f32, 9>;
  var j: array<i32, 9>;
  for (var k = 0u; k < 9u; k++) {
    j[k] = neighbour(g, y / g.cell, x / g.cell, k);
    if (j[k] >= 0) { a[k] = A[k * hw + p]; }
  }
  for (var c = 0u; c < g.C; c++) {
    var acc = 0.0;
    for (var k = 0u; k < 9u; k++) {
      if (j[k] >= 0) { acc += a[k] * t[c * n + u32(j[k])]; }
    }
    out[c * hw + p] = acc;
  }
}
`);

export const SP_SIZES = defineKernel('sp-sizes', [8, 8, 1], /* wgsl */ `${GRID_WGSL}
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
`);

export const SP_LABELS = defineKernel('sp-labels', [8, 8, 1], /* wgsl */ `${GRID_WGSL}
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
`);
