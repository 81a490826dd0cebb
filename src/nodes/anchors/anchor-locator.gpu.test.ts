import { describe, expect, it } from 'vitest';
import { getGpuBackend } from '../../../test/helpers/gpu.ts';
import { loadVector } from '../../../test/helpers/vectors.ts';
import type { Backend } from '../../runtime/backends/backend.ts';
import { noModels, type ExecContext } from '../../runtime/engine/context.ts';
import { cpuTensor } from '../../runtime/values/tensor.ts';
import type { AnchorsValue } from '../../runtime/values/types.ts';
import { anchorLocator } from './anchor-locator.ts';

const ctx = (backend: Backend): ExecContext => ({
  nodeId: 'n1', backend, models: noModels, signal: new AbortController().signal,
  io: { loadImage: async () => { throw new Error('no images here'); }, fingerprint: async () => '' },
  progress() {}, warn() {},
});

describe('disco/anchor-locator on WebGPU', () => {
  it('reproduces the reference hint mask with features on the GPU', async () => {
    const gpu = await getGpuBackend();
    const v = (key: string) => loadVector('kmeans_grid16', key);
    // The vectors' superpixel sizes stand in for spSizes, so only the anchor ops are under test.
    const sizes = cpuTensor([1, 1, 16, 16], v('spixel_sizes').data as Float32Array);
    const backend: Backend = { ...gpu, spSizes: async () => sizes };
    const tokens = await gpu.upload(cpuTensor([1, 64, 16, 16], v('tokens').data as Float32Array));
    const affinity = { assoc: cpuTensor([1, 9, 256, 256]), cell: 16, method: 'test' };
    const params = { k: 8, seed: v('seed').data[0], init: 'reference' as const, maxIterations: 20 };
    const out = (await anchorLocator.execute(ctx(backend), { features: { tokens, cell: 16 }, affinity }, params)).anchors as AnchorsValue;
    const mask = new Float32Array(256);
    for (const a of out.anchors) mask[a.cell] += 1;
    expect(Array.from(mask)).toEqual(Array.from(v('hint_mask').data));
    expect(Array.from(out.clusters!)).toEqual(Array.from(v('labels').data));
  });
});
