import { describe, expect, it } from 'vitest';
import { getGpuBackend } from '../../../../test/helpers/gpu.ts';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { cpuTensor, type CpuTensor } from '../../values/tensor.ts';
import { cpuAnchorOps } from '../cpu/anchor-ops.ts';
import { MT19937 } from '../common/mt19937.ts';

/** Gaussian-ish random tokens [1,C,h,w] from a seeded generator (sum of uniforms). */
function randomTokens(c: number, h: number, w: number, seed: number): CpuTensor {
  const rng = new MT19937(seed);
  const data = new Float32Array(c * h * w);
  for (let i = 0; i < data.length; i++) data[i] = rng.random() + rng.random() + rng.random() - 1.5;
  return cpuTensor([1, c, h, w], data);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('anchor ops on WebGPU vs the CPU reference', () => {
  it.each([[16, 16], [4, 3], [7, 20]])('position encoding %ix%i matches the CPU', async (h, w) => {
    const gpu = await getGpuBackend();
    const got = await gpu.download(await gpu.positionEncoding(h, w));
    const want = (await cpuAnchorOps.positionEncoding(h, w)) as CpuTensor;
    expect(got.shape).toEqual([1, 64, h, w]);
    // The kernel evaluates sin/cos by its own polynomial, so the reference tolerance holds.
    expect(maxAbsDiff(got.data, want.data)).toBeLessThanOrEqual(2e-6);
  });

  it('position encoding 16x16 matches the reference vector', async () => {
    const gpu = await getGpuBackend();
    const got = await gpu.download(await gpu.positionEncoding(16, 16));
    expect(maxAbsDiff(got.data, loadVector('posenc', 'h16_w16').data)).toBeLessThanOrEqual(2e-6);
  });

  it.each([
    ['16x16 grid of kmeans_grid16 tokens', () => cpuTensor([1, 64, 16, 16], loadVector('kmeans_grid16', 'tokens').data as Float32Array), 8],
    ['random 64-d tokens on a 16x16 grid', () => randomTokens(64, 16, 16, 5), 8],
    ['random 64-d tokens on a 9x13 grid, K=14', () => randomTokens(64, 9, 13, 6), 14],
  ] as const)('kmeansAssign labels: %s', async (_name, make, k) => {
    const gpu = await getGpuBackend();
    const tokens = make();
    const centres = cpuTensor([k, 64], (randomTokens(64, 1, k, 11).data as Float32Array).map((v, i) => v * 0.5 + tokens.data[i % tokens.data.length]));
    const got = await gpu.download(await gpu.kmeansAssign(tokens, centres));
    const want = (await cpuAnchorOps.kmeansAssign(tokens, centres)) as CpuTensor;
    expect(got.dtype).toBe('int32');
    expect(Array.from(got.data)).toEqual(Array.from(want.data));
    expect(new Set(want.data).size).toBeGreaterThan(1); // the case does separate tokens
  });

  it.each(['kmeans_small', 'kmeans_grid16', 'kmeans_empty'])('locateAnchors reproduces %s exactly', async (name) => {
    const gpu = await getGpuBackend();
    const tokens = gpu.gpu.upload(cpuTensor(loadVector(name, 'tokens').shape, loadVector(name, 'tokens').data as Float32Array));
    const sizes = cpuTensor(loadVector(name, 'spixel_sizes').shape, loadVector(name, 'spixel_sizes').data as Float32Array);
    const opts = {
      k: loadVector(name, 'k').data[0], seed: loadVector(name, 'seed').data[0],
      emptyDraws: Array.from(loadVector(name, 'empty_draws').data),
    };
    const before = gpu.gpu.readbacks;
    const got = await gpu.locateAnchors(tokens, sizes, opts);
    // The tokens once, whatever the iteration count (sizes are already on the CPU here).
    expect(gpu.gpu.readbacks - before).toBe(1);
    expect(Array.from(got.labels)).toEqual(Array.from(loadVector(name, 'labels').data));
    expect(got.iterations).toBe(loadVector(name, 'iterations').data[0]);
    expect(Array.from(got.mask)).toEqual(Array.from(loadVector(name, 'hint_mask').data));
    expect(maxAbsDiff(got.centres, loadVector(name, 'centres').data)).toBeLessThanOrEqual(1e-5);
  });

  it('k-means on random data gives the same result as the CPU', async () => {
    const gpu = await getGpuBackend();
    const tokens = randomTokens(64, 16, 16, 9);
    const opts = { k: 8, seed: 1 };
    const got = await gpu.kmeans(tokens, opts);
    const want = await cpuAnchorOps.kmeans(tokens, opts);
    expect(Array.from(got.labels)).toEqual(Array.from(want.labels));
    expect(got.iterations).toBe(want.iterations);
    expect(maxAbsDiff(got.centres, want.centres)).toBe(0);
  });
});
