/**
 * SP-Diffusion on the CPU (docs/disco-method.md §6): x(p) = sum over k of A_k(p) * t[cell(p) + offset_k], missing
 * neighbours count as 0, no renormalisation. Accumulated in float32, k = 0..8 in order, like the
 * official code and the WGSL kernel: the same bits as the per-pixel definition (sp-kernels.test.ts).
 *
 * Speed (64 channels at 256², about 38M terms): the WebAssembly SIMD kernel (simd/) when there is
 * one (float32x4 lanes: the same bits, about 6x faster; in the CLI on two threads, sp-threads.ts,
 * still the same bits), else the loop below: per cell and channel
 * the 9 neighbour tokens are held in locals and the inner loop runs over the cell's pixels, reading
 * the 9 association planes contiguously and writing each output once. Math.fround around each
 * product and sum is what V8 compiles to float32 arithmetic.
 */
import { arrayPool } from '../../values/array-pool.ts';
import type { SpGrid } from '../ops/superpixel-ops.ts';
import { simdKernels, type SimdKernels } from './simd/simd.ts';
import { neighbourCells } from './sp-neighbours.ts';

const f = Math.fround;

/** Token i of the channel starting at tb in `t`, whose last element is a 0 for missing neighbours (i < 0). */
const token = (t: Float32Array, tb: number, i: number): number => t[i < 0 ? t.length - 1 : tb + i];

/** `simd`: the SIMD kernels to use (default: when the platform has them; null for the loops). */
export function spDiffuseArrays(tokens: Float32Array, C: number, assoc: Float32Array, g: SpGrid, simd: SimdKernels | null = simdKernels()): Float32Array {
  if (simd && g.cell % 4 === 0) return simd.diffuse(tokens, C, assoc, g);
  const { H, W, h, w, cell } = g;
  const hw = H * W, n = h * w;
  const out = arrayPool.take(C * hw); // every element is written below (the cells tile the image)
  const idx = new Int32Array(9);
  // A missing neighbour's token is 0: A_k(p) * 0 adds +0, which leaves a float32 sum unchanged
  // (the sum starts from +0 and so is never -0), as skipping the term does.
  const t = new Float32Array(tokens.length + 1);
  t.set(tokens);
  for (let cy = 0; cy < h; cy++) {
    for (let cx = 0; cx < w; cx++) {
      neighbourCells(idx, cy, cx, h, w);
      for (let c = 0; c < C; c++) {
        const tb = c * n;
        const t0 = token(t, tb, idx[0]), t1 = token(t, tb, idx[1]), t2 = token(t, tb, idx[2]);
        const t3 = token(t, tb, idx[3]), t4 = token(t, tb, idx[4]), t5 = token(t, tb, idx[5]);
        const t6 = token(t, tb, idx[6]), t7 = token(t, tb, idx[7]), t8 = token(t, tb, idx[8]);
        const oc = c * hw;
        for (let y = cy * cell; y < (cy + 1) * cell; y++) {
          const p1 = y * W + (cx + 1) * cell;
          for (let p = y * W + cx * cell; p < p1; p++) {
            let s = f(assoc[p] * t0) + 0; // + 0 turns -0 into +0, as 0 + A_0 t_0 does
            s = f(s + f(assoc[hw + p] * t1));
            s = f(s + f(assoc[2 * hw + p] * t2));
            s = f(s + f(assoc[3 * hw + p] * t3));
            s = f(s + f(assoc[4 * hw + p] * t4));
            s = f(s + f(assoc[5 * hw + p] * t5));
            s = f(s + f(assoc[6 * hw + p] * t6));
            s = f(s + f(assoc[7 * hw + p] * t7));
            out[oc + p] = s + f(assoc[8 * hw + p] * t8);
          }
        }
      }
    }
  }
  return out;
}
