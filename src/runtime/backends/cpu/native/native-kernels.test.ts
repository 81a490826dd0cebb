/**
 * The native superpixel kernels (sp-kernels.c): built by `npm run setup` for the current source,
 * the same bits on any number of threads (the bands are shared out as the threads claim them, and
 * SP-Pool adds its partial sums in one fixed order), and a clear error for arrays that do not fit
 * the grid. Their results against the definitions are in sp-kernels.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SpGrid } from '../../ops/superpixel-ops.ts';
import { loadNativeAddon, nativeKernels } from './native-kernels.ts';
import { nativeAddonPath } from './native-build.ts';
import { mulberry32 } from '../../../../../test/helpers/prng.ts';

/** n values in [-0.5, 0.5) from `seed`. */
function random(n: number, seed: number): Float32Array {
  const next = mulberry32(seed);
  return Float32Array.from({ length: n }, () => next() - 0.5);
}

const bits = (a: Float32Array | Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4));

describe('native superpixel kernels', () => {
  it('are built for the current source (npm run setup, or npm run build:native after an edit)', () => {
    expect(loadNativeAddon(), `no addon at ${nativeAddonPath()}`).not.toBeNull();
  });

  for (const cell of [16, 12]) {
    it(`give the same bits on 1, 2, 3 and 8 threads (cells of ${cell})`, () => {
      const g: SpGrid = { H: 7 * cell, W: 5 * cell, h: 7, w: 5, cell }, C = 6, hw = g.H * g.W;
      const assoc = random(9 * hw, 3).map(Math.abs), x = random(C * hw, 5), tokens = random(C * g.h * g.w, 9);
      const one = nativeKernels(1)!;
      const diffused = bits(one.diffuse(tokens, C, assoc, g)), pooled = bits(one.pool(x, C, assoc, g));
      // 2, 3, 8, then 2 again: helpers started for an earlier call are reused, and only as many join as asked
      for (const threads of [2, 3, 8, 2]) {
        const k = nativeKernels(threads)!;
        expect(bits(k.diffuse(tokens, C, assoc, g))).toEqual(diffused);
        expect(bits(k.pool(x, C, assoc, g))).toEqual(pooled);
      }
    });
  }

  it('refuse arrays that do not fit the grid, naming the problem', () => {
    const addon = loadNativeAddon()!;
    const assoc = new Float32Array(9 * 32 * 32), out = new Float32Array(2 * 32 * 32), tokens = new Float32Array(2 * 4);
    expect(() => addon.diffuse(tokens, 2, assoc, 32, 32, 16, out.subarray(1), 1)).toThrow(/shorter than the grid needs/);
    expect(() => addon.diffuse(tokens, 2, assoc.subarray(1), 32, 32, 16, out, 1)).toThrow(/shorter than the grid needs/);
    expect(() => addon.diffuse(tokens, 2, assoc, 32, 30, 16, out, 1)).toThrow(/multiples of cell/);
    expect(() => addon.pool(out, 2, assoc, 32, 32, 16, new Float32Array(12) as never, 1)).toThrow(/sums must be a Float64Array/);
    expect(() => addon.pool(out, 2, assoc, 32, 32, 16, new Float64Array(11), 1)).toThrow(/shorter than the grid needs/);
  });
});
