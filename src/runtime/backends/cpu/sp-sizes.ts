/**
 * Superpixel sizes and hard labels on the CPU.
 * - Sizes (docs/disco-method.md §6): B_k(p) = 1 for every k where A_k(p) equals the maximum over all 9 channels;
 *   size_j = number of (p, k) with B_k(p) = 1 pointing at j, divided by cell^2 (exact).
 * - Hard labels: each pixel's strongest in-grid neighbour cell, the lowest k on ties.
 * Both loop cell by cell, so each cell's 9 neighbours are found once (neighbourCells). The sizes'
 *   counts come from the SIMD kernels (simd/, or native/ in the CLI) when there are some (integer counts: the same).
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import { neighbourCells } from './sp-neighbours.ts';
import { simdKernels, type SimdKernels } from './simd/simd.ts';

/** `simd`: the SIMD kernels to use (default: when the platform has them; null for the loops). */
export function spSizesArrays(assoc: Float32Array, g: SpGrid, simd: SimdKernels | null = simdKernels()): Float32Array {
  const { h, w, cell } = g;
  const count = new Float64Array(h * w);
  const idx = new Int32Array(9);
  if (simd && cell % 4 === 0) {
    const counts = simd.sizes(assoc, g);
    for (let cy = 0; cy < h; cy++) {
      for (let cx = 0; cx < w; cx++) {
        neighbourCells(idx, cy, cx, h, w);
        const at = (cy * w + cx) * 9;
        for (let k = 0; k < 9; k++) if (idx[k] >= 0) count[idx[k]] += counts[at + k];
      }
    }
  } else countSizes(count, idx, assoc, g);
  const inv = 1 / (cell * cell);
  const sizes = new Float32Array(h * w);
  for (let j = 0; j < sizes.length; j++) sizes[j] = count[j] * inv;
  return sizes;
}

/** The counts by TypeScript loops (no SIMD, or cells not a multiple of 4 wide). */
function countSizes(count: Float64Array, idx: Int32Array, assoc: Float32Array, g: SpGrid): void {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  for (let cy = 0; cy < h; cy++) {
    for (let cx = 0; cx < w; cx++) {
      neighbourCells(idx, cy, cx, h, w);
      const [i0, i1, i2, i3, i4, i5, i6, i7, i8] = idx; // i4 is the cell itself
      for (let y = cy * cell; y < (cy + 1) * cell; y++) {
        const p1 = y * W + (cx + 1) * cell;
        for (let p = y * W + cx * cell; p < p1; p++) {
          const a0 = assoc[p], a1 = assoc[hw + p], a2 = assoc[2 * hw + p], a3 = assoc[3 * hw + p], a4 = assoc[4 * hw + p];
          const a5 = assoc[5 * hw + p], a6 = assoc[6 * hw + p], a7 = assoc[7 * hw + p], a8 = assoc[8 * hw + p];
          const max = Math.max(a0, a1, a2, a3, a4, a5, a6, a7, a8);
          if (a0 === max && i0 >= 0) count[i0] += 1;
          if (a1 === max && i1 >= 0) count[i1] += 1;
          if (a2 === max && i2 >= 0) count[i2] += 1;
          if (a3 === max && i3 >= 0) count[i3] += 1;
          if (a4 === max) count[i4] += 1;
          if (a5 === max && i5 >= 0) count[i5] += 1;
          if (a6 === max && i6 >= 0) count[i6] += 1;
          if (a7 === max && i7 >= 0) count[i7] += 1;
          if (a8 === max && i8 >= 0) count[i8] += 1;
        }
      }
    }
  }
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
