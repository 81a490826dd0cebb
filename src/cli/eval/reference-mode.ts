/**
 * `disco eval --reference-mode flipped|unrelated`: which colour photo each held-out photo gets as its
 * reference (workflows/reference-guided.json's Load Reference).
 * - flipped: the photo's own colour original mirrored left-right and shifted circularly by a quarter
 *   of its width, so the reference has the right colours but nothing sits where it did;
 * - unrelated: the colour original of another photo of the set, the one half the list away (sorted
 *   names put pairs of one scene next to each other, e.g. aloeL/aloeR), so it is of a different scene.
 */
import type { ImageValue } from '../../runtime/values/types.ts';
import { UsageError } from '../commands/index.ts';

export type ReferenceMode = 'flipped' | 'unrelated';

export function referenceModeOption(value: string | undefined): ReferenceMode | undefined {
  if (value === undefined || value === 'flipped' || value === 'unrelated') return value;
  throw new UsageError(`--reference-mode must be flipped or unrelated, got "${value}"`);
}

/** The photo mirrored left-right, then rolled right by floor(width / 4) columns (wrapping around). */
export function flippedReference(photo: ImageValue): ImageValue {
  const { width, height } = photo;
  const shift = Math.floor(width / 4);
  const data = new Uint8ClampedArray(photo.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const to = (y * width + ((width - 1 - x + shift) % width)) * 4, from = (y * width + x) * 4;
      data.set(photo.data.subarray(from, from + 4), to);
    }
  }
  return { width, height, data };
}

/** Index of the photo whose original is photo i's unrelated reference, among n photos. */
export function unrelatedIndex(i: number, n: number): number {
  if (n < 2) throw new UsageError('--reference-mode unrelated needs at least 2 photos (each takes another one as its reference)');
  return (i + Math.floor(n / 2)) % n;
}
