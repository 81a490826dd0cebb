/**
 * SP-Pooling on the CPU (docs/disco-method.md §6), the reference for the WGSL kernel. Every pixel p
 * of cell q sends A_k(p) x(p) to the cell q + offset_k (dropped outside the grid); both sums are
 * scaled by 1/cell^2 before the 1e-8, as the official 9 shifted average-pools do.
 *
 * Speed (66 channels at 256², about 39M products): per source cell and channel, one pass over the
 * cell's pixels makes the 9 partial sums (one per neighbour), which are then added to the target
 * cells. The partial sums of a band (one row of cells) come from the WebAssembly SIMD kernel
 * (simd/) when there is one, else from the loop below. Sums are float64 (products of two float32
 * are exact in float64), so the order only moves results by float64 rounding: after the final
 * float32 rounding they equal the per-pixel definition within 1 float32 ulp (sp-kernels.test.ts).
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import { simdKernels, type SimdKernels } from './simd/simd.ts';
import { neighbourCells } from './sp-neighbours.ts';

/**
 * The partial sums of band cy, as the SIMD kernel lays them out: sums[cx][j][k] = sum over cell
 * (cy, cx) of A_k(p) * x_j(p), j = 0 the mass (x = 1), j = 1..C the channels.
 */
function poolBandLoops(sums: Float64Array, x: Float32Array, C: number, assoc: Float32Array, g: SpGrid, cy: number): Float64Array {
  const { W, w, cell } = g, hw = g.H * W;
  for (let cx = 0; cx < w; cx++) {
    for (let j = 0; j <= C; j++) {
      const xb = (j - 1) * hw;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0;
      for (let y = cy * cell; y < (cy + 1) * cell; y++) {
        const p1 = y * W + (cx + 1) * cell;
        for (let p = y * W + cx * cell; p < p1; p++) {
          const v = j === 0 ? 1 : x[xb + p];
          s0 += assoc[p] * v; s1 += assoc[hw + p] * v; s2 += assoc[2 * hw + p] * v;
          s3 += assoc[3 * hw + p] * v; s4 += assoc[4 * hw + p] * v; s5 += assoc[5 * hw + p] * v;
          s6 += assoc[6 * hw + p] * v; s7 += assoc[7 * hw + p] * v; s8 += assoc[8 * hw + p] * v;
        }
      }
      const o = (cx * (C + 1) + j) * 9;
      sums[o] = s0; sums[o + 1] = s1; sums[o + 2] = s2; sums[o + 3] = s3; sums[o + 4] = s4;
      sums[o + 5] = s5; sums[o + 6] = s6; sums[o + 7] = s7; sums[o + 8] = s8;
    }
  }
  return sums;
}

/** `simd`: the SIMD kernels to use (default: when the platform has them; null for the loops). */
export function spPoolArrays(x: Float32Array, C: number, assoc: Float32Array, g: SpGrid, simd: SimdKernels | null = simdKernels()): { pooled: Float32Array; mass: Float32Array } {
  const { h, w, cell } = g;
  const n = h * w;
  const num = new Float64Array(C * n);
  const den = new Float64Array(n);
  const idx = new Int32Array(9);
  const useSimd = simd !== null && cell % 4 === 0;
  const loopSums = useSimd ? undefined : new Float64Array(w * (C + 1) * 9);
  for (let cy = 0; cy < h; cy++) {
    const sums = useSimd ? simd.poolBand(x, C, assoc, g, cy) : poolBandLoops(loopSums!, x, C, assoc, g, cy);
    for (let cx = 0; cx < w; cx++) {
      neighbourCells(idx, cy, cx, h, w);
      for (let j = 0; j <= C; j++) {
        const dst = j === 0 ? den : num, base = j === 0 ? 0 : (j - 1) * n, o = (cx * (C + 1) + j) * 9;
        for (let k = 0; k < 9; k++) if (idx[k] >= 0) dst[base + idx[k]] += sums[o + k];
      }
    }
  }
  const inv = 1 / (cell * cell);
  const pooled = new Float32Array(C * n);
  const mass = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const d = den[j] * inv;
    mass[j] = d;
    for (let c = 0; c < C; c++) pooled[c * n + j] = (num[c * n + j] * inv) / (d + 1e-8);
  }
  return { pooled, mass };
}
