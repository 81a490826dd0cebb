/**
 * Photo after photo in one process, as a batch worker runs them (Colorizer, disco-auto, CPU): once a
 * photo's results are written its large arrays go back to the array pool, the next photo overwrites
 * them instead of allocating fresh memory, and no result depends on the photo before
 * (src/runtime/values/array-pool.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { Colorizer } from '../../src/cli/colorizer.ts';
import { arrayPool } from '../../src/runtime/values/array-pool.ts';
import { REPO } from './helpers.ts';

const CHELSEA = join(REPO, 'examples/chelsea-gray.png');
const COFFEE = join(REPO, 'test/fixtures/reference/coffee.jpg');
/** One 64-channel map at disco-auto's 256 x 256 working size (the backbone's features, SP-Diffuse's output). */
const FEATURE_BYTES = 64 * 256 * 256 * 4;

const pixels = (path: string) => sharp(path).raw().toBuffer();

describe('array reuse between photos', () => {
  it('gives each photo\'s large arrays back, reuses them for the next, and leaves every result as a first run makes it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'disco-reuse-'));
    const colorizer = await Colorizer.open({ diverse: 1, backend: 'cpu' });
    try {
      expect(arrayPool.idleByteLength).toBe(0);
      await colorizer.colorize(CHELSEA, join(root, 'first.png'));
      // SP-Diffuse's output came from the pool and is back; the backbone's features were still
      // onnxruntime's own buffer (copied into the pool only once it has been given arrays back).
      const afterFirst = arrayPool.idleByteLength;
      expect(afterFirst).toBeGreaterThanOrEqual(FEATURE_BYTES);
      await colorizer.colorize(COFFEE, join(root, 'coffee.png'));
      const steady = arrayPool.idleByteLength;
      expect(steady).toBeGreaterThanOrEqual(afterFirst + FEATURE_BYTES); // the features too now
      await colorizer.colorize(CHELSEA, join(root, 'again.png')); // on arrays the coffee photo wrote
      expect(arrayPool.idleByteLength).toBe(steady); // every array taken again, none allocated anew
      expect(await pixels(join(root, 'again.png'))).toEqual(await pixels(join(root, 'first.png')));
      expect(await pixels(join(root, 'coffee.png'))).not.toEqual(await pixels(join(root, 'first.png')));
    } finally {
      colorizer.close();
    }
  });
});
