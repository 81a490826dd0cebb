/** Small image fixtures for colour tests. */
import type { ImageValue } from '../../src/runtime/values/types.ts';

/** HWC RGB values (0..255) -> an opaque RGBA ImageValue. */
export function rgbHwcToImage(rgb: ArrayLike<number>, width: number, height: number): ImageValue {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2], 255], 4 * p);
  return { width, height, data };
}
