import { describe, expect, it } from 'vitest';
import { getGpuBackend } from '../../../test/helpers/gpu.ts';
import { runNode } from '../../../test/helpers/node-ctx.ts';
import { mulberry32 } from '../../../test/helpers/prng.ts';
import { cpuTensor } from '../../runtime/values/tensor.ts';
import type { AnchorsValue, TokensValue } from '../../runtime/values/types.ts';
import { referenceColors } from './reference-colors.ts';

describe('disco/reference-colors on WebGPU', () => {
  it('matches features held in GPU buffers exactly as on the CPU', async () => {
    const gpu = await getGpuBackend();
    const rand = mulberry32(3);
    const random = (shape: number[], scale = 1) => cpuTensor(shape, Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => scale * (rand() - 0.5)));
    const photo: TokensValue = { tokens: random([1, 64, 4, 4]), cell: 16 };
    const reference: TokensValue = { tokens: random([1, 64, 3, 5]), cell: 16, pooledAb: random([1, 2, 3, 5], 1.2) };
    const anchors: AnchorsValue = { gridH: 4, gridW: 4, anchors: [0, 5, 9, 15].map((cell) => ({ cell, x: 0.5, y: 0.5, source: 'auto' as const })) };
    const onGpu = async (t: TokensValue): Promise<TokensValue> => ({ ...t, tokens: await gpu.upload(t.tokens), ...(t.pooledAb ? { pooledAb: await gpu.upload(t.pooledAb) } : {}) });
    const cpu = (await runNode(referenceColors, { anchors, features: photo, reference }, { threshold: 0 })).anchors as AnchorsValue;
    const out = (await runNode(referenceColors, { anchors, features: await onGpu(photo), reference: await onGpu(reference) }, { threshold: 0 }, [], undefined, gpu)).anchors as AnchorsValue;
    expect(out.anchors).toEqual(cpu.anchors);
    expect(new Set(cpu.anchors.map((a) => a.reference!.token)).size).toBeGreaterThan(1);
  });
});
