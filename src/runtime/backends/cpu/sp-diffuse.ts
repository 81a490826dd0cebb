/**
 * SP-Diffusion on the CPU (docs/disco-method.md §6): x(p) = sum over k of A_k(p) * t[cell(p) + offset_k], missing
 * neighbours count as 0, no renormalisation. Accumulated in float32, k = 0..8 in order, like the
 * official code and the WGSL kernel. Loops run cell by cell, channel by channel, then over k, adding into
 * the float32 output (each pixel still sums its terms in k order: the same bits as a per-pixel loop).
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import { neighboursOf, newNeighbours } from './sp-neighbours.ts';

export function spDiffuseArrays(tokens: Float32Array, C: number, assoc: Float32Array, g: SpGrid): Float32Array {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  const n = h * w;
  const out = new Float32Array(C * hw); // accumulators: every store rounds to float32
  const f = Math.fround;
  const nb = newNeighbours();
  for (let cy = 0; cy < h; cy++) {
    for (let cx = 0; cx < w; cx++) {
      neighboursOf(nb, cy, cx, g);
      for (let c = 0; c < C; c++) {
        const oc = c * hw;
        for (let i = 0; i < nb.count; i++) { // k order, as the sum is defined
          const t = tokens[c * n + nb.cellIndex[i]], ko = nb.channelOffset[i];
          for (let y = cy * cell; y < (cy + 1) * cell; y++) {
            const p0 = y * W + cx * cell;
            for (let p = p0; p < p0 + cell; p++) out[oc + p] += f(assoc[ko + p] * t);
          }
        }
      }
    }
  }
  return out;
}
