/**
 * The 9 neighbour cells of one superpixel cell, in k order (docs/disco-method.md §6 offsets:
 * k div 3 - 1 rows, k mod 3 - 1 columns), for the CPU kernels' inner loops.
 */

/** Fills `idx` (length 9) with the row-major index of cell (cy, cx)'s neighbour k, or -1 outside the h x w grid. */
export function neighbourCells(idx: Int32Array, cy: number, cx: number, h: number, w: number): void {
  for (let k = 0; k < 9; k++) {
    const ny = cy + ((k / 3) | 0) - 1, nx = cx + (k % 3) - 1;
    idx[k] = ny < 0 || nx < 0 || ny >= h || nx >= w ? -1 : ny * w + nx;
  }
}
