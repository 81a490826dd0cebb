/**
 * The in-grid neighbours of one superpixel cell, in k order (docs/disco-method.md §6 offsets), for the CPU kernels'
 * inner loops: which association channel (as an offset k*H*W into the map) points at which cell.
 */
import { kOffset, type SpGrid } from '../ops/superpixel-ops.ts';

const DY = Int32Array.from({ length: 9 }, (_, k) => kOffset(k)[0]);
const DX = Int32Array.from({ length: 9 }, (_, k) => kOffset(k)[1]);

export interface Neighbours {
  /** How many of the 9 are inside the grid. */
  count: number;
  /** k * H * W for each, in k order. */
  readonly channelOffset: Int32Array;
  /** The neighbour cell's index (row-major on the h x w grid). */
  readonly cellIndex: Int32Array;
}

export const newNeighbours = (): Neighbours => ({ count: 0, channelOffset: new Int32Array(9), cellIndex: new Int32Array(9) });

/** Fills `nb` with cell (cy, cx)'s in-grid neighbours. */
export function neighboursOf(nb: Neighbours, cy: number, cx: number, g: SpGrid): void {
  const hw = g.H * g.W;
  let m = 0;
  for (let k = 0; k < 9; k++) {
    const ny = cy + DY[k], nx = cx + DX[k];
    if (ny < 0 || nx < 0 || ny >= g.h || nx >= g.w) continue;
    nb.channelOffset[m] = k * hw;
    nb.cellIndex[m] = ny * g.w + nx;
    m++;
  }
  nb.count = m;
}
