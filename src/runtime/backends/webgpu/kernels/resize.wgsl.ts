/**
 * Float INTER_LINEAR resize with crop (`from`) and edge padding (`padTo`), one invocation per output
 * value. The taps (source indices and fractions) come precomputed from cpu/resize.ts `taps`, so the
 * geometry is bit-identical to the CPU reference: taps[3*x + 0..2] = (i0, i1, f) for columns, then
 * the rows start at 3*sizeW.
 */
import { defineKernel, WG } from '../kernel.ts';
import { FLAT_INDEX } from './color-common.ts';

export const RESIZE = defineKernel('resize', [WG, 1, 1], /* wgsl */ `
struct U { planes: u32, inH: u32, inW: u32, sizeH: u32, sizeW: u32, outH: u32, outW: u32 }
@group(0) @binding(0) var<storage, read> src: array<f32>;
@group(0) @binding(1) var<storage, read> taps: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
${FLAT_INDEX}

@compute @workgroup_size(${WG}, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_index(gid, nwg);
  let per = u.outH * u.outW;
  if (i >= u.planes * per) { return; }
  let plane = i / per;
  let ox = (i % per) % u.outW;
  let oy = (i % per) / u.outW;
  let x = min(ox, u.sizeW - 1u);
  let y = min(oy, u.sizeH - 1u);
  let x0 = u32(taps[3u * x]);
  let x1 = u32(taps[3u * x + 1u]);
  let fx = taps[3u * x + 2u];
  let ty = 3u * u.sizeW + 3u * y;
  let y0 = u32(taps[ty]);
  let y1 = u32(taps[ty + 1u]);
  let fy = taps[ty + 2u];
  let base = plane * u.inH * u.inW;
  let r0 = base + y0 * u.inW;
  let r1 = base + y1 * u.inW;
  let h0 = src[r0 + x0] * (1.0 - fx) + src[r0 + x1] * fx;
  let h1 = src[r1 + x0] * (1.0 - fx) + src[r1 + x1] * fx;
  dst[i] = h0 * (1.0 - fy) + h1 * fy;
}`);
