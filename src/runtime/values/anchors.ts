/**
 * Geometry of anchors on a token grid: a token's normalised centre, the token under a normalised
 * point, and a grid check with a readable message. Used by the anchor nodes and the editor overlay.
 */
import type { AnchorsValue } from './types.ts';

/** Normalised image coordinates of the centre of token `cell` (row-major) on an h x w grid. */
export function cellCentre(cell: number, gridH: number, gridW: number): { x: number; y: number } {
  const row = Math.floor(cell / gridW);
  const col = cell % gridW;
  return { x: (col + 0.5) / gridW, y: (row + 0.5) / gridH };
}

/** The token under normalised point (x, y), both in 0..1 (1 belongs to the last row/column). */
export function cellAt(x: number, y: number, gridH: number, gridW: number): number {
  if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) throw new Error(`point (${x}, ${y}) is outside the image: x and y must be in 0..1`);
  const col = Math.min(Math.floor(x * gridW), gridW - 1);
  const row = Math.min(Math.floor(y * gridH), gridH - 1);
  return row * gridW + col;
}

/** Throws unless `anchors` lie on an h x w grid. */
export function checkAnchorGrid(anchors: AnchorsValue, gridH: number, gridW: number, what: string): void {
  if (anchors.gridH !== gridH || anchors.gridW !== gridW) {
    throw new Error(`${what} are on a ${anchors.gridH}x${anchors.gridW} token grid, expected ${gridH}x${gridW}`);
  }
}
