/**
 * SP-Pooling on the CPU (docs/disco-method.md §6), the reference for the WGSL kernel. Every pixel p of cell q sends
 * A_k(p) x(p) to the cell q + offset_k (dropped outside the grid); both sums are scaled by 1/cell^2
 * before the 1e-8, as the official 9 shifted average-pools do.
 *
 * Speed (66 channels at 256², about 39M products): per source cell and channel, one pass over the
 * cell's pixels keeps the 9 partial sums (one per neighbour) in locals, then adds them to the
 * target cells. Sums are float64 (products of two float32 are exact in float64), so the order
 * (per source cell, then source cells in row-major order) only moves results by float64 rounding:
 * after the final float32 rounding they equal the per-pixel definition within 1 float32 ulp
 * (sp-kernels.test.ts).
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import { neighbourCells } from './sp-neighbours.ts';

/**
 * The 9 partial sums over cell (cy, cx) of A_k(p) * x(p), x read from `x` at xb + p, or 1 when
 * x is undefined (the mass); added to their in-grid targets in `dst` at base + idx[k].
 */
function addCell(dst: Float64Array, base: number, idx: Int32Array, x: Float32Array | undefined, xb: number, assoc: Float32Array, cy: number, cx: number, g: SpGrid): void {
  const { W, cell } = g, hw = g.H * W;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0;
  for (let y = cy * cell; y < (cy + 1) * cell; y++) {
    const p1 = y * W + (cx + 1) * cell;
    if (x) {
      for (let p = y * W + cx * cell; p < p1; p++) {
        const v = x[xb + p];
        s0 += assoc[p] * v;
        s1 += assoc[hw + p] * v;
        s2 += assoc[2 * hw + p] * v;
        s3 += assoc[3 * hw + p] * v;
        s4 += assoc[4 * hw + p] * v;
        s5 += assoc[5 * hw + p] * v;
        s6 += assoc[6 * hw + p] * v;
        s7 += assoc[7 * hw + p] * v;
        s8 += assoc[8 * hw + p] * v;
      }
    } else {
      for (let p = y * W + cx * cell; p < p1; p++) {
        s0 += assoc[p]; s1 += assoc[hw + p]; s2 += assoc[2 * hw + p];
        s3 += assoc[3 * hw + p]; s4 += assoc[4 * hw + p]; s5 += assoc[5 * hw + p];
        s6 += assoc[6 * hw + p]; s7 += assoc[7 * hw + p]; s8 += assoc[8 * hw + p];
      }
    }
  }
  if (idx[0] >= 0) dst[base + idx[0]] += s0;
  if (idx[1] >= 0) dst[base + idx[1]] += s1;
  if (idx[2] >= 0) dst[base + idx[2]] += s2;
  if (idx[3] >= 0) dst[base + idx[3]] += s3;
  if (idx[4] >= 0) dst[base + idx[4]] += s4;
  if (idx[5] >= 0) dst[base + idx[5]] += s5;
  if (idx[6] >= 0) dst[base + idx[6]] += s6;
  if (idx[7] >= 0) dst[base + idx[7]] += s7;
  if (idx[8] >= 0) dst[base + idx[8]] += s8;
}

export function spPoolArrays(x: Float32Array, C: number, assoc: Float32Array, g: SpGrid): { pooled: Float32Array; mass: Float32Array } {
  const { H, W, h, w } = g;
  const hw = H * W, n = h * w;
  const num = new Float64Array(C * n);
  const den = new Float64Array(n);
  const idx = new Int32Array(9);
  for (let cy = 0; cy < h; cy++) {
    for (let cx = 0; cx < w; cx++) {
      neighbourCells(idx, cy, cx, h, w);
      addCell(den, 0, idx, undefined, 0, assoc, cy, cx, g);
      for (let c = 0; c < C; c++) addCell(num, c * n, idx, x, c * hw, assoc, cy, cx, g);
    }
  }
  const inv = 1 / (g.cell * g.cell);
  const pooled = new Float32Array(C * n);
  const mass = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const d = den[j] * inv;
    mass[j] = d;
    for (let c = 0; c < C; c++) pooled[c * n + j] = (num[c * n + j] * inv) / (d + 1e-8);
  }
  return { pooled, mass };
}
