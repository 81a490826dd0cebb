/**
 * SP-Pooling on the CPU (docs/disco-method.md §6), the reference for the WGSL kernel. Every pixel p of cell q sends
 * A_k(p) x(p) to the cell q + offset_k (dropped outside the grid); both sums are scaled by 1/cell^2
 * before the 1e-8, as the official 9 shifted average-pools do. Sums run in float64, each in
 * row-major pixel order (loops go channel by channel, row by row, cell by cell, so each sum sees its
 * pixels in the same order as a per-pixel loop: the result is the same, bit for bit).
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import { neighboursOf, newNeighbours, type Neighbours } from './sp-neighbours.ts';

/** Adds each in-grid neighbour's share of row y of cell cx, sum over the row segment of A_k(p) * x(p). */
function addRow(sums: Float64Array, base: number, x: Float32Array | undefined, xBase: number, assoc: Float32Array, p0: number, cell: number, nb: Neighbours): void {
  for (let i = 0; i < nb.count; i++) {
    const ko = nb.channelOffset[i];
    const j = base + nb.cellIndex[i];
    let s = sums[j];
    if (x) for (let p = p0; p < p0 + cell; p++) s += assoc[ko + p] * x[xBase + p];
    else for (let p = p0; p < p0 + cell; p++) s += assoc[ko + p];
    sums[j] = s;
  }
}

export function spPoolArrays(x: Float32Array, C: number, assoc: Float32Array, g: SpGrid): { pooled: Float32Array; mass: Float32Array } {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  const n = h * w;
  const num = new Float64Array(C * n);
  const den = new Float64Array(n);
  const cells: Neighbours[] = [];
  for (let cy = 0; cy < h; cy++) for (let cx = 0; cx < w; cx++) {
    const nb = newNeighbours();
    neighboursOf(nb, cy, cx, g);
    cells.push(nb);
  }
  for (let c = -1; c < C; c++) { // c = -1: the mass (denominator)
    for (let y = 0; y < H; y++) {
      const cy = Math.floor(y / cell);
      for (let cx = 0; cx < w; cx++) {
        const nb = cells[cy * w + cx];
        const p0 = y * W + cx * cell;
        if (c < 0) addRow(den, 0, undefined, 0, assoc, p0, cell, nb);
        else addRow(num, c * n, x, c * hw, assoc, p0, cell, nb);
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
