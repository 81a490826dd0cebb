/** CPU superpixel ops against the reference vectors (SPEC §16) and against their defining properties. */
import { describe, expect, it } from 'vitest';
import { cpuTensor, type CpuTensor } from '../../values/tensor.ts';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { cpuSuperpixelOps as ops } from './superpixel-ops.ts';

const vec = (c: string, k: string): CpuTensor => {
  const v = loadVector(c, k);
  return cpuTensor(v.shape, v.data as Float32Array);
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('CPU superpixel ops vs reference vectors', () => {
  it('SP-Pooling matches spix_pool (pooled and prob_sum) within 1e-5', async () => {
    const { pooled, mass } = await ops.spPool(vec('spix_pool', 'feat'), vec('spix_pool', 'assoc'), 16);
    expect(pooled.shape).toEqual([1, 5, 4, 4]);
    expect(maxDiff((pooled as CpuTensor).data, vec('spix_pool', 'pooled').data)).toBeLessThanOrEqual(1e-5);
    expect(maxDiff((mass as CpuTensor).data, vec('spix_pool', 'prob_sum').data)).toBeLessThanOrEqual(1e-5);
  });

  it('SP-Diffusion matches spix_diffuse within 1e-5', async () => {
    const out = await ops.spDiffuse(vec('spix_diffuse', 'tokens'), vec('spix_diffuse', 'assoc'), 16);
    expect(out.shape).toEqual([1, 5, 64, 64]);
    expect(maxDiff((out as CpuTensor).data, vec('spix_diffuse', 'out').data)).toBeLessThanOrEqual(1e-5);
  });

  it('superpixel sizes match spix_size exactly, ties included', async () => {
    const s = await ops.spSizes(vec('spix_size', 'assoc'), 16);
    expect(Array.from((s as CpuTensor).data)).toEqual(Array.from(vec('spix_size', 'sizes').data));
    const t = await ops.spSizes(vec('spix_size', 'assoc_tie'), 16);
    expect(Array.from((t as CpuTensor).data)).toEqual(Array.from(vec('spix_size', 'sizes_tie').data));
  });
});
