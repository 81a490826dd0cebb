/**
 * The two-thread SP-Pool and SP-Diffuse (sp-threads.ts) run the one-thread kernels on a split of
 * the bands. SP-Diffuse gives the same bits, however the threads share the bands (as they claim
 * them, and a fixed split that has the worker take part for sure): every value is written by the
 * main thread's kernel or copied from the worker's, so a band left out or copied to the wrong place
 * shows. SP-Pool stays within 1 float32 ulp (its float64 sums are added in another order), for even
 * and uneven splits. A grid of one band stays on one thread.
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

/** The first index where a and b differ in their bits, or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length), ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

describe('SP-Pool and SP-Diffuse on two threads', () => {
  const threads = startKernelThreads()!;
  /** The main thread diffuses the first band, the worker the others. */
  const fixedSplit = startKernelThreads({ diffuseMainBands: 1 })!;
  afterAll(() => Promise.all([threads.close(), fixedSplit.close()]));

  it('start their worker', async () => {
    expect(threads).not.toBeNull();
    expect(await threads.started).toBe(true);
    expect(await fixedSplit.started).toBe(true);
  });

  // 2 bands (one each), 5 bands (an uneven split), 1 band (one thread only), a cell of 8, 16 bands.
  for (const [h, w, cell, C] of [[2, 3, 4, 3], [5, 4, 4, 7], [1, 6, 4, 2], [4, 3, 8, 66], [16, 2, 4, 5]]) {
    const g: SpGrid = { H: h * cell, W: w * cell, h, w, cell };
    const hw = g.H * g.W;
    const assoc = random(9 * hw, h * 17 + w);
    const worked = h >= 2 ? 1 : 0; // jobs the worker takes per call
    it(`give the one-thread pooling (${h}x${w} cells of ${cell}, C=${C})`, async () => {
      await threads.started;
      const x = random(C * hw, 3).map((v) => v * 4 - 2);
      const one = oneThreadKernels()!;
      const jobs = threads.jobs();
      const pool1 = spPoolArrays(x, C, assoc, g, one), pool2 = spPoolArrays(x, C, assoc, g, threads.kernels);
      expect(ulps(pool2.pooled, pool1.pooled)).toBeLessThanOrEqual(1);
      expect(ulps(pool2.mass, pool1.mass)).toBeLessThanOrEqual(1);
      expect(threads.jobs() - jobs).toBe(worked);
    });

    it(`give the one-thread diffusion, bit for bit (${h}x${w} cells of ${cell}, C=${C})`, async () => {
      await threads.started;
      const tokens = random(C * h * w, 5).map((v) => v * 4 - 2);
      const one = oneThreadKernels()!;
      const jobs = threads.jobs();
      const diffuse1 = one.diffuse(tokens, C, assoc, g);
      // twice each: the second call reuses the shared memory the first one filled
      for (let call = 0; call < 2; call++) {
        expect(firstDifference(threads.kernels.diffuse(tokens, C, assoc, g), diffuse1)).toBe(-1);
        expect(firstDifference(fixedSplit.kernels.diffuse(tokens, C, assoc, g), diffuse1)).toBe(-1);
      }
      expect(threads.jobs() - jobs).toBe(2 * worked);
    });
  }

  it('diffuse a smaller grid after a larger one (stale values in the shared memory), bit for bit', async () => {
    await fixedSplit.started;
    const one = oneThreadKernels()!;
    for (const [h, w, C] of [[6, 5, 9], [3, 2, 4]]) {
      const g: SpGrid = { H: h * 4, W: w * 4, h, w, cell: 4 };
      const assoc = random(9 * g.H * g.W, C), tokens = random(C * h * w, C + 1);
      expect(firstDifference(fixedSplit.kernels.diffuse(tokens, C, assoc, g), one.diffuse(tokens, C, assoc, g))).toBe(-1);
    }
  });
});
