/**
 * SP-Pooling on the CPU (docs/disco-method.md §6), the reference for the WGSL kernel. Every pixel p
 * of cell q sends A_k(p) x(p) to the cell q + offset_k (dropped outside the grid); both sums are
 * scaled by 1/cell^2 before the 1e-8, as the official 9 shifted average-pools do.
 *
 * Speed (66 channels at 256², about 39M products): per source cell and channel, one pass over the
 * cell's pixels makes the 9 partial sums (one per neighbour), which are then added to the target
 * cells in float64: by the WebAssembly SIMD kernel (simd/) when there is one (in the CLI on two
 * threads, sp-threads.ts: each adds its bands' sums, then the two are added; or the native kernel,
 * native/, where `npm run setup` built it), else by the loop below.
 *
 * Precision. The loop's partial sums are float64 (products of two float32 are exact in float64), so
 * its results equal the per-pixel definition within 1 float32 ulp. The SIMD kernel's are float32,
 * four lanes of cell^2/4 terms each (float64 lanes took twice as long): with u = 2^-24 and n =
 * cell^2/4 + 3 roundings per partial sum, and A >= 0 (a softmax), each result is within
 * 1 ulp + 2 n u P|x| of the definition, where P|x| is the same pooling applied to |x| (the mass: 1 ulp
 * + n u mass). For cell 16 that is 1 ulp + 8e-6 P|x|; sp-kernels.test.ts holds the kernel to it.
 * The CLI's native kernel (native/sp-kernels.c) sums each pixel column of a cell over its rows in
 * float32, then adds the columns pairwise: n = cell + ceil(log2 cell) + 1 roundings, the same
 * bound with that n (1 ulp + 2.5e-6 P|x| for cell 16), held to it by the same test.
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import { simdKernels, type SimdKernels } from './simd/simd.ts';
import { neighbourCells } from './sp-neighbours.ts';

/**
 * The sums before scaling, float64 (C+1) x h x w: row 0 the mass, rows 1..C the channels. Per
 * source cell and channel, one pass over the cell's pixels makes the 9 partial sums.
 */
function poolLoops(x: Float32Array, C: number, assoc: Float32Array, g: SpGrid): Float64Array {
  const { W, h, w, cell } = g, hw = g.H * W, n = h * w;
  const sums = new Float64Array((C + 1) * n);
  const idx = new Int32Array(9), partial = new Float64Array(9);
  for (let cy = 0; cy < h; cy++) {
    for (let cx = 0; cx < w; cx++) {
      neighbourCells(idx, cy, cx, h, w);
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
        partial[0] = s0; partial[1] = s1; partial[2] = s2; partial[3] = s3; partial[4] = s4;
        partial[5] = s5; partial[6] = s6; partial[7] = s7; partial[8] = s8;
        for (let k = 0; k < 9; k++) if (idx[k] >= 0) sums[j * n + idx[k]] += partial[k];
      }
    }
  }
  return sums;
}

/** `simd`: the SIMD kernels to use (default: when the platform has them; null for the loops). */
export function spPoolArrays(x: Float32Array, C: number, assoc: Float32Array, g: SpGrid, simd: SimdKernels | null = simdKernels()): { pooled: Float32Array; mass: Float32Array } {
  const n = g.h * g.w;
  const sums = simd !== null && g.cell % 4 === 0 ? simd.pool(x, C, assoc, g) : poolLoops(x, C, assoc, g);
  const inv = 1 / (g.cell * g.cell);
  const pooled = new Float32Array(C * n);
  const mass = new Float32Array(n);
  for (let q = 0; q < n; q++) {
    const d = sums[q] * inv;
    mass[q] = d;
    for (let c = 0; c < C; c++) pooled[c * n + q] = (sums[(c + 1) * n + q] * inv) / (d + 1e-8);
  }
  return { pooled, mass };
}
