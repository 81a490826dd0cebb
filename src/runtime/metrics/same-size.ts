/** The check every two-image metric starts with. */
import type { ImageValue } from '../values/types.ts';

/** Throws a clear error unless both images are 8-bit RGBA of the same size. */
export function checkSameSize(metric: string, a: ImageValue, b: ImageValue): void {
  for (const [name, im] of [['result', a], ['reference', b]] as const) {
    if (im.data.length !== im.width * im.height * 4) {
      throw new Error(`${metric}: the ${name} image is not RGBA (${im.data.length} bytes for ${im.width}x${im.height})`);
    }
  }
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`${metric}: images differ in size (${a.width}x${a.height} vs ${b.width}x${b.height})`);
  }
  if (a.width === 0 || a.height === 0) throw new Error(`${metric}: the images have no pixels (${a.width}x${a.height})`);
}
