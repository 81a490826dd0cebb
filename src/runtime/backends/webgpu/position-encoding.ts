/**
 * DISCO's sine position encoding [1,64,h,w] (docs/disco-method.md §7) as a WGSL kernel, one invocation per value.
 * The 32 frequencies 10000^(2*floor(i/2)/32) come from the CPU (posencDims) as float32: WGSL's pow
 * is only accurate to a few ulp, while the table is the reference's exact float32 values. sin and
 * cos are evaluated by our own polynomial: WGSL only promises 2^-11 absolute error for the builtins
 * (SwiftShader's are off by 1.9e-4), while the reference tolerance is 2e-6.
 */
import type { GpuTensor } from '../../values/tensor.ts';
import { checkGrid, posencDims, POS_FEATS } from '../shared/position-encoding.ts';
import type { GpuContext } from './gpu-context.ts';

const WORKGROUP = 64;

const POSENC_WGSL = /* wgsl */ `
struct Params { h: u32, w: u32, rowStride: u32, _pad: u32 }

@group(0) @binding(0) var<storage, read> dims: array<f32>;       // ${POS_FEATS} frequencies
@group(0) @binding(1) var<storage, read_write> out: array<f32>;  // [${2 * POS_FEATS}, h, w]
@group(0) @binding(2) var<uniform> p: Params;

const TWO_PI: f32 = 6.2831855;  // float32(2*pi), as the reference scales
const TWO_OVER_PI: f32 = 0.63661977;
const PIO2_HI: f32 = 1.5703125;       // pi/2 split so that q * PIO2_HI is exact for small q
const PIO2_LO: f32 = 4.8382679e-4;

// (sin v, cos v) to ~1e-7: reduce to r in [-pi/4, pi/4] and a quadrant, then Taylor polynomials.
fn sinCos(v: f32) -> vec2f {
  let q = round(v * TWO_OVER_PI);
  let r = (v - q * PIO2_HI) - q * PIO2_LO;
  let r2 = r * r;
  let s = r * (1.0 + r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362880.0)))));
  let c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0))));
  switch (i32(q) & 3) {
    case 0: { return vec2f(s, c); }
    case 1: { return vec2f(c, -s); }
    case 2: { return vec2f(-s, -c); }
    default: { return vec2f(-c, s); }
  }
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let plane = p.h * p.w;
  let idx = gid.y * p.rowStride + gid.x;
  if (gid.x >= p.rowStride || idx >= ${2 * POS_FEATS}u * plane) { return; }
  let ch = idx / plane;
  let y = (idx % plane) / p.w;
  let x = idx % p.w;
  let i = ch % ${POS_FEATS}u;
  // Channels 0..31 encode the row, 32..63 the column; positions are 1-based.
  var pos = f32(y + 1u);
  var n = f32(p.h);
  if (ch >= ${POS_FEATS}u) {
    pos = f32(x + 1u);
    n = f32(p.w);
  }
  let v = pos / (n + 1e-6) * TWO_PI / dims[i];
  let sc = sinCos(v);
  out[idx] = select(sc.y, sc.x, i % 2u == 0u);
}
`;

export function positionEncodingGpu(gpu: GpuContext, h: number, w: number): GpuTensor {
  checkGrid(h, w);
  const total = 2 * POS_FEATS * h * w;
  const groups = Math.ceil(total / WORKGROUP);
  const gx = Math.min(groups, gpu.device.limits.maxComputeWorkgroupsPerDimension);
  const gy = Math.ceil(groups / gx);
  const dims = gpu.storage(POS_FEATS, 'posenc dims');
  gpu.device.queue.writeBuffer(dims, 0, posencDims());
  const params = gpu.uniformU32([h, w, gx * WORKGROUP, 0], 'posenc params');
  const out = gpu.gpuTensor([1, 2 * POS_FEATS, h, w], 'float32', 'position encoding');
  gpu.dispatch(gpu.pipeline('position-encoding', POSENC_WGSL), [dims, out.buffer, params], [gx, gy]);
  dims.destroy();
  params.destroy();
  return out;
}
