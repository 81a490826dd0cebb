/**
 * The model nodes on the WebGPU backend (Dawn + SwiftShader in Node) with onnxruntime-node on the CPU:
 * GPU feeds are read back through the host's `readback`, outputs are uploaded back to the GPU, and the
 * chain's results match the CPU backend's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getGpuBackend } from '../../../test/helpers/gpu.ts';
import { tinyModelsDir } from '../../../test/helpers/tiny-models.ts';
import type { Backend } from '../../runtime/backends/backend.ts';
import { createCpuBackend } from '../../runtime/backends/cpu/cpu-backend.ts';
import type { ExecContext } from '../../runtime/engine/context.ts';
import type { NodeDef, Values } from '../../runtime/engine/node-def.ts';
import { fsModelSource } from '../../runtime/onnx/fs-model-source.ts';
import { OnnxModelHost } from '../../runtime/onnx/model-host.ts';
import { createNodeGateway } from '../../runtime/onnx/ort-node.ts';
import { cpuTensor, type Tensor } from '../../runtime/values/tensor.ts';
import type { AffinityValue, AnchorsValue, GrayValue, ModelValue, TokensValue } from '../../runtime/values/types.ts';
import { colorGenerator } from './color-generator.ts';
import { colorModeler } from './color-modeler.ts';
import { featureExtractor } from './feature-extractor.ts';
import { loadModelSet } from './load-model-set.ts';
import { refine } from './refine.ts';
import { spixelnet } from './spixelnet.ts';

let dir: string;
beforeAll(async () => {
  dir = await tinyModelsDir();
});

async function chain(backend: Backend): Promise<Record<string, Tensor>> {
  const host = new OnnxModelHost({ source: fsModelSource(dir), gateway: createNodeGateway(), readback: (t) => backend.download(t) });
  const ctx: ExecContext = {
    nodeId: 'n', backend, models: host, signal: new AbortController().signal,
    io: { loadImage: async () => { throw new Error('unused'); }, fingerprint: async () => '' },
    progress() {}, warn() {},
  };
  const exec = async (def: NodeDef, inputs: Values, params: Values = {}) => def.execute(ctx, inputs, params) as Promise<Values>;
  const L = await backend.upload(cpuTensor([1, 1, 32, 32], Float32Array.from({ length: 1024 }, (_, i) => 50 + 40 * Math.sin(i / 9))));
  const gray: GrayValue = { L, content: { width: 32, height: 32 } };
  const models = (await exec(loadModelSet, {}, { set: 'tiny' })) as Record<string, ModelValue>;
  const { affinity } = (await exec(spixelnet, { gray, model: models.spixelnet })) as { affinity: AffinityValue };
  const { features } = (await exec(featureExtractor, { gray, model: models.backbone })) as { features: Tensor };
  const pooled = await backend.spPool(features, affinity.assoc, 16);
  const tokens: TokensValue = { tokens: pooled.pooled, cell: 16, mass: pooled.mass };
  const cm = (await exec(colorModeler, { tokens, model: models.color_modeler })) as { features: TokensValue; dist: { probs: Tensor } };
  const anchors: AnchorsValue = { gridH: 2, gridW: 2, anchors: [{ cell: 1, x: 0.75, y: 0.25, bin: 150, source: 'user' }] };
  const gen = (await exec(colorGenerator, { tokens, anchors, model: models.color_generator })) as { tokens: TokensValue };
  const diffused = await backend.spDiffuse(gen.tokens.tokens, affinity.assoc, 16);
  const { ab } = (await exec(refine, { gray, features: diffused, model: models.refiner })) as { ab: Tensor };
  return { assoc: affinity.assoc, features, colorFeatures: cm.features.tokens, dist: cm.dist.probs, gen: gen.tokens.tokens, ab };
}

describe('model nodes on the WebGPU backend', () => {
  it('keep outputs on the GPU and match the CPU backend', async () => {
    const gpu = await getGpuBackend();
    const onGpu = await chain(gpu);
    const onCpu = await chain(createCpuBackend());
    for (const [k, t] of Object.entries(onGpu)) {
      expect(t.location, k).toBe('gpu');
      const a = (await gpu.download(t)).data;
      const b = (onCpu[k] as { data: Float32Array }).data;
      expect(a.length, k).toBe(b.length);
      expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]))), k).toBeLessThan(1e-4);
    }
  });
});
