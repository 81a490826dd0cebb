/**
 * The two-thread SP-Pool (sp-threads.ts) runs the one-thread kernels on a split of the bands: the
 * same results within 1 float32 ulp (its float64 sums are added in another order), for even and
 * uneven splits; a grid of one band stays on one thread. SP-Diffuse stays on one thread.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { SpGrid } from '../../ops/superpixel-ops.ts';
import { spPoolArrays } from '../sp-pool.ts';
import { oneThreadKernels } from './simd.ts';
import { startKernelThreads } from './sp-threads.ts';
import { ulps } from '../../../../../test/helpers/ulps.ts';

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('SP-Pool on two threads', () => {
  const threads = startKernelThreads()!;
  afterAll(() => threads.close());

  it('start their worker', async () => {
    expect(threads).not.toBeNull();
    expect(await threads.started).toBe(true);
  });

  // 2 bands (one each), 5 bands (an uneven split), 1 band (one thread only), a cell of 8, 16 bands.
  for (const [h, w, cell, C] of [[2, 3, 4, 3], [5, 4, 4, 7], [1, 6, 4, 2], [4, 3, 8, 66], [16, 2, 4, 5]]) {
    const g: SpGrid = { H: h * cell, W: w * cell, h, w, cell };
    const hw = g.H * g.W;
    const assoc = random(9 * hw, h * 17 + w);
    it(`give the one-thread results (${h}x${w} cells of ${cell}, C=${C})`, async () => {
      await threads.started;
      const x = random(C * hw, 3).map((v) => v * 4 - 2);
      const one = oneThreadKernels()!;
      const jobs = threads.jobs();
      const pool1 = spPoolArrays(x, C, assoc, g, one), pool2 = spPoolArrays(x, C, assoc, g, threads.kernels);
      expect(ulps(pool2.pooled, pool1.pooled)).toBeLessThanOrEqual(1);
      expect(ulps(pool2.mass, pool1.mass)).toBeLessThanOrEqual(1);
      expect(threads.jobs() - jobs).toBe(h >= 2 ? 1 : 0); // the worker took part in the pooling
    });
  }
});
