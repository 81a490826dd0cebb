/**
 * WGSL of the k-means assignment step: one invocation per token computes its squared distance to
 * each of the K centres (float32, summed in channel order like the CPU reference) and keeps the first
 * index with the smallest one. Tokens are read in place from the [1,C,h,w] tensor.
 */
import { defineKernel, WG } from '../kernel.ts';

export const KMEANS_ASSIGN = defineKernel('kmeans-assign', [WG, 1, 1], /* wgsl */ `
struct Params { n: u32, c: u32, k: u32, _pad: u32 }

@group(0) @binding(0) var<storage, read> tokens: array<f32>;   // [C, n]: channel-major (NCHW)
@group(0) @binding(1) var<storage, read> centres: array<f32>;  // [K, C]: one row per centre
@group(0) @binding(2) var<storage, read_write> labels: array<i32>;
@group(0) @binding(3) var<uniform> p: Params;

@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let t = gid.x;
  if (t >= p.n) { return; }
  var best = 0i;
  var bestD = 0.0;
  for (var j = 0u; j < p.k; j++) {
    var d = 0.0;
    for (var ch = 0u; ch < p.c; ch++) {
      let diff = tokens[ch * p.n + t] - centres[j * p.c + ch];
      d = d + diff * diff;
    }
    if (j == 0u || d < bestD) {   // strict: the first centre wins a tie
      bestD = d;
      best = i32(j);
    }
  }
  labels[t] = best;
}
`);
