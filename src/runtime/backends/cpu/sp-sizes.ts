/**
 * Superpixel sizes and hard labels on the CPU.
 * - Sizes (docs/disco-method.md §6): B_k(p) = 1 for every k where A_k(p) equals the maximum over all 9 channels;
 *   size_j = number of (p, k) with B_k(p) = 1 pointing at j, divided by cell^2 (exact).
 * - Hard labels: each pixel's strongest in-grid neighbour cell, the lowest k on ties.
 */
import { kOffset, type SpGrid } from '../ops/superpixel-ops.ts';

export function spSizesArrays(assoc: Float32Array, g: SpGrid): Float32Array {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  const count = new Float64Array(h * w);
  for (let y = 0; y < H; y++) {
    const cy = Math.floor(y / cell);
    for (let x = 0; x < W; x++) {
      const cx = Math.floor(x / cell);
      const p = y * W + x;
      let max = -Infinity;
      for (let k = 0; k < 9; k++) max = Math.max(max, assoc[k * hw + p]);
      for (let k = 0; k < 9; k++) {
        if (assoc[k * hw + p] !== max) continue;
        const [dy, dx] = kOffset(k);
        const ny = cy + dy;
        const nx = cx + dx;
        if (ny >= 0 && nx >= 0 && ny < h && nx < w) count[ny * w + nx] += 1;
      }
    }
  }
  const inv = 1 / (cell * cell);
  return Float32Array.from(count, (c) => c * inv);
}

export function hardLabelsArrays(assoc: Float32Array, g: SpGrid): Int32Array {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  const labels = new Int32Array(hw);
  for (let y = 0; y < H; y++) {
    const cy = Math.floor(y / cell);
    for (let x = 0; x < W; x++) {
      const cx = Math.floor(x / cell);
      const p = y * W + x;
      let best = -1;
      let bestA = -Infinity;
      for (let k = 0; k < 9; k++) {
        const [dy, dx] = kOffset(k);
        const ny = cy + dy;
        const nx = cx + dx;
        if (ny < 0 || nx < 0 || ny >= h || nx >= w) continue;
        const a = assoc[k * hw + p];
        if (best < 0 || a > bestA) {
          best = ny * w + nx;
          bestA = a;
        }
      }
      labels[p] = best;
    }
  }
  return labels;
}
