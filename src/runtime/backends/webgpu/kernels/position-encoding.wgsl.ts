/**
 * WGSL of DISCO's sine position encoding (the method and why sin/cos are our own polynomial:
 * ../position-encoding.ts), one invocation per value.
 */
import { POS_FEATS } from '../../common/position-encoding.ts';
import { defineKernel, WG } from '../kernel.ts';

export const POSITION_ENCODING = defineKernel('position-encoding', [WG, 1, 1], /* wgsl */ `
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

@compute @workgroup_size(${WG}, 1, 1)
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
`);
