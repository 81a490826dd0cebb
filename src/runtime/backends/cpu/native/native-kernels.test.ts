/**
 * The native kernels (addon.c): built by `npm run setup` for the current sources, the same bits on
 * any number of threads (the parts are shared out as the threads claim them, and SP-Pool adds its
 * partial sums in one fixed order), and a clear error for arrays that do not fit. Their results
 * against the definitions are in sp-kernels.test.ts (superpixels) and lab.test.ts (RGB -> Lab).
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

describe('native kernels', () => {
  it('are built for the current source (npm run setup, or npm run build:native after an edit)', () => {
    expect(loadNativeAddon(), `no addon at ${nativeAddonPath()}`).not.toBeNull();
  });

  for (const cell of [16, 12]) {
    it(`give the same bits on 1, 2, 3 and 8 threads (cells of ${cell})`, () => {
      const g: SpGrid = { H: 7 * cell, W: 5 * cell, h: 7, w: 5, cell }, C = 6, hw = g.H * g.W;
      const assoc = random(9 * hw, 3).map(Math.abs), x = random(C * hw, 5), tokens = random(C * g.h * g.w, 9);
      const one = nativeKernels(1)!;
      const diffused = bits(one.diffuse(tokens, C, assoc, g)), pooled = bits(one.pool(x, C, assoc, g)), sizes = Array.from(one.sizes(assoc, g));
      // 2, 3, 8, then 2 again: helpers started for an earlier call are reused, and only as many join as asked
      for (const threads of [2, 3, 8, 2]) {
        const k = nativeKernels(threads)!;
        expect(bits(k.diffuse(tokens, C, assoc, g))).toEqual(diffused);
        expect(bits(k.pool(x, C, assoc, g))).toEqual(pooled);
        expect(Array.from(k.sizes(assoc, g))).toEqual(sizes);
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
    expect(() => addon.sizes(assoc, 32, 32, 16, new Int32Array(4 * 9 - 1), 1)).toThrow(/shorter than the grid needs/);
    expect(() => addon.sizes(assoc, 32, 32, 16, new Float32Array(4 * 9) as never, 1)).toThrow(/counts must be an Int32Array/);
    const rgba = new Uint8Array(4 * 10), lab = new Float32Array(3 * 10), lut = new Int16Array(33 ** 3 * 3 + 8), codes = new Int32Array(256);
    expect(() => addon.rgbaToLab(rgba, 10, lut.subarray(1), codes, lab, 1)).toThrow(/lut must be 33\^3 x 3 entries and 8 of padding/);
    expect(() => addon.rgbaToLab(rgba, 11, lut, codes, lab, 1)).toThrow(/rgba is shorter than 4n bytes/);
    expect(() => addon.rgbaToLab(rgba, -1, lut, codes, lab, 1)).toThrow(/n must be >= 0/);
    expect(() => addon.rgbaToLab(rgba, 10, lut, codes, lab.subarray(1), 1)).toThrow(/out is shorter than 3n floats/);
    expect(() => addon.rgbaToLab(rgba, 10, lut, codes.map((_, v) => (v === 7 ? 16385 : 0)), lab, 1)).toThrow(/code is outside the table/);
    expect(() => addon.rgbaToLab(rgba, 10, lut, codes.map((_, v) => (v === 7 ? 32 * 512 + 32 : 0)), lab, 1)).toThrow(/code is outside the table/);
  });

  it('refuse a resize whose taps point outside the source, or too small an output', () => {
    const addon = loadNativeAddon()!;
    const src = new Float32Array(4 * 6), dst = new Float32Array(2 * 3);
    const i = (...v: number[]) => Int32Array.from(v), f = (...v: number[]) => Float32Array.from(v);
    const ok = () => addon.resizePlanes(src, 1, 4, 6, i(0, 2, 4), i(1, 3, 5), f(0.5, 0.5, 0.5), i(0, 2), i(1, 3), f(0.5, 0.5), 0, 2, 3, dst, 2);
    expect(ok).not.toThrow();
    expect(() => addon.resizePlanes(src, 1, 4, 6, i(0, 2, 6), i(1, 3, 5), f(0.5, 0.5, 0.5), i(0, 2), i(1, 3), f(0.5, 0.5), 0, 2, 3, dst, 2)).toThrow(/index is outside the source/);
    expect(() => addon.resizePlanes(src, 1, 4, 6, i(0, 2, 4), i(1, 3, 5), f(0.5, 0.5, 0.5), i(0, 2), i(1, -1), f(0.5, 0.5), 0, 2, 3, dst, 2)).toThrow(/index is outside the source/);
    expect(() => addon.resizePlanes(src, 1, 4, 6, i(0, 2, 4), i(1, 3, 5), f(0.5, 0.5, 0.5), i(0, 2), i(1, 3), f(0.5, 0.5), 0, 2, 3, dst.subarray(1), 2)).toThrow(/dst is shorter/);
    expect(() => addon.resizePlanes(src, 2, 4, 6, i(0, 2, 4), i(1, 3, 5), f(0.5, 0.5, 0.5), i(0, 2), i(1, 3), f(0.5, 0.5), 0, 2, 3, dst, 2)).toThrow(/src is shorter/);
  });

  it('make zeroed Float32Arrays of the length asked for, views a few bytes into a slightly larger buffer', () => {
    const addon = loadNativeAddon()!;
    for (const length of [0, 1, 1000, 5 * 2 ** 20]) {
      const a = addon.alignedFloat32Array(length);
      expect(a).toBeInstanceOf(Float32Array);
      expect(a.length).toBe(length);
      expect(a.buffer.byteLength).toBe(4 * length + 64);
      expect(a.byteOffset % 4 === 0 && a.byteOffset < 64).toBe(true);
      expect(a.every((v) => v === 0)).toBe(true);
    }
    expect(() => addon.alignedFloat32Array(-1)).toThrow(/length must be >= 0/);
  });
});
