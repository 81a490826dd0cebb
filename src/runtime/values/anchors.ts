/**
 * Geometry of anchors on a token grid: a token's normalised centre, the token under a normalised
 * point, and a grid check with a readable message. Used by the anchor nodes and the editor overlay.
 *
 * Anchor x, y are normalised to the photo, not to the working image: Keep Aspect (and Full Size)
 * pad the working image bottom/right, so the photo fills only the top-left `fx` x `fy` of the token
 * grid. The same x, y then mean the same photo point with or without padding.
 */
import type { AnchorsValue, Frame } from './types.ts';

/** The share of the working image (and of its token grid) the photo fills, across and down. */
export interface PhotoFit {
  readonly fx: number;
  readonly fy: number;
}

/** No padding: the photo is the whole working image. */
export const WHOLE: PhotoFit = { fx: 1, fy: 1 };

/** The fit of a content frame inside an H x W working image (WHOLE when the frame is unknown). */
export function photoFit(content: Frame | undefined, H: number, W: number): PhotoFit {
  if (!content) return WHOLE;
  if (!(content.width > 0 && content.width <= W && content.height > 0 && content.height <= H)) {
    throw new Error(`content frame ${content.width}x${content.height} does not fit the ${W}x${H} working image`);
  }
  return { fx: content.width / W, fy: content.height / H };
}

/** Normalised photo coordinates of the centre of token `cell` (row-major) on an h x w grid, clamped onto the photo. */
export function cellCentre(cell: number, gridH: number, gridW: number, fit: PhotoFit = WHOLE): { x: number; y: number } {
  const row = Math.floor(cell / gridW);
  const col = cell % gridW;
  return { x: Math.min(1, (col + 0.5) / gridW / fit.fx), y: Math.min(1, (row + 0.5) / gridH / fit.fy) };
}

/** The last index of `n` grid steps that holds some of a photo filling `f` of them. */
const lastOnPhoto = (n: number, f: number) => Math.max(0, Math.ceil(n * f - 1e-9) - 1);

/** The token under normalised photo point (x, y), both in 0..1 (1 belongs to the last token that holds photo pixels). */
export function cellAt(x: number, y: number, gridH: number, gridW: number, fit: PhotoFit = WHOLE): number {
  if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) throw new Error(`point (${x}, ${y}) is outside the image: x and y must be in 0..1`);
  const col = Math.min(Math.floor(x * fit.fx * gridW), lastOnPhoto(gridW, fit.fx));
  const row = Math.min(Math.floor(y * fit.fy * gridH), lastOnPhoto(gridH, fit.fy));
  return row * gridW + col;
}

/** Throws unless `anchors` lie on an h x w grid. */
export function checkAnchorGrid(anchors: AnchorsValue, gridH: number, gridW: number, what: string): void {
  if (anchors.gridH !== gridH || anchors.gridW !== gridW) {
    throw new Error(`${what} are on a ${anchors.gridH}x${anchors.gridW} token grid, expected ${gridH}x${gridW}`);
  }
}
