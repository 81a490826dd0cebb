/**
 * Superpixel sizes and hard labels on the CPU.
 * - Sizes (docs/disco-method.md §6): B_k(p) = 1 for every k where A_k(p) equals the maximum over all 9 channels;
 *   size_j = number of (p, k) with B_k(p) = 1 pointing at j, divided by cell^2 (exact).
 * - Hard labels: each pixel's strongest in-grid neighbour cell, the lowest k on ties.
 * Both loop cell by cell, so each cell's 9 neighbours are found once (neighbourCells).
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import { neighbourCells } from './sp-neighbours.ts';

export function spSizesArrays(assoc: Float32Array, g: SpGrid): Float32Array {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  const count = new Float64Array(h * w);
  const idx = new Int32Array(9);
  for (let cy = 0; cy < h; cy++) {
    for (let cx = 0; cx < w; cx++) {
      neighbourCells(idx, cy, cx, h, w);
      for (let y = cy * cell; y < (cy + 1) * cell; y++) {
        const p1 = y * W + (cx + 1) * cell;
        for (let p = y * W + cx * cell; p < p1; p++) {
          let max = assoc[p];
          for (let k = 1; k < 9; k++) max = Math.max(max, assoc[k * hw + p]);
          for (let k = 0; k < 9; k++) if (assoc[k * hw + p] === max && idx[k] >= 0) count[idx[k]] += 1;
        }
      }
    }
  }
  const inv = 1 / (cell * cell);
  const sizes = new Float32Array(h * w);
  for (let j = 0; j < sizes.length; j++) sizes[j] = count[j] * inv;
  return sizes;
}

export function hardLabelsArrays(assoc: Float32Array, g: SpGrid): Int32Array {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  const labels = new Int32Array(hw);
  const idx = new Int32Array(9);
  for (let cy = 0; cy < h; cy++) {
    for (let cx = 0; cx < w; cx++) {
      neighbourCells(idx, cy, cx, h, w);
      for (let y = cy * cell; y < (cy + 1) * cell; y++) {
        const p1 = y * W + (cx + 1) * cell;
        for (let p = y * W + cx * cell; p < p1; p++) {
          let best = -1;
          let bestA = -Infinity;
          for (let k = 0; k < 9; k++) {
            if (idx[k] < 0) continue;
            const a = assoc[k * hw + p];
            if (best < 0 || a > bestA) {
              best = idx[k];
              bestA = a;
            }
          }
          labels[p] = best;
        }
      }
    }
  }
  return labels;
}
