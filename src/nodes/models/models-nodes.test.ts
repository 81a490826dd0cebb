import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyModelsCopy, tinyModelsDir } from '../../../test/helpers/tiny-models.ts';
import { createCpuBackend } from '../../runtime/backends/cpu/cpu-backend.ts';
import type { ExecContext } from '../../runtime/engine/context.ts';
import { Executor } from '../../runtime/engine/executor.ts';
import { NodeRegistry } from '../../runtime/engine/registry.ts';
import type { NodeDef, Values } from '../../runtime/engine/node-def.ts';
import { fsModelSource } from '../../runtime/onnx/fs-model-source.ts';
import { OnnxModelHost } from '../../runtime/onnx/model-host.ts';
import { createNodeGateway } from '../../runtime/onnx/ort-node.ts';
import { cpuTensor, type CpuTensor, type Tensor } from '../../runtime/values/tensor.ts';
import type {
  AffinityValue, AnchorsValue, ColorDistValue, GrayValue, ModelValue, TokensValue,
} from '../../runtime/values/types.ts';
import { colorGenerator } from './color-generator.ts';
import { colorModeler } from './color-modeler.ts';
import { featureExtractor } from './feature-extractor.ts';
import { modelsNodes } from './index.ts';
import { loadModelSet } from './load-model-set.ts';
import { refine } from './refine.ts';
import { spixelnet } from './spixelnet.ts';

const backend = createCpuBackend();
let host: OnnxModelHost;
let models: Record<string, ModelValue>;

function ctxFor(nodeId: string, h: OnnxModelHost = host, signal = new AbortController().signal): ExecContext {
  return {
    nodeId, backend, models: h, signal,
    io: { loadImage: async () => { throw new Error('no images in this test'); }, fingerprint: async () => '' },
    progress() {}, warn() {},
  };
}
const exec = async (def: NodeDef, inputs: Values, params: Values = {}) =>
  def.execute(ctxFor(def.id), inputs, { ...Object.fromEntries(Object.entries(def.params).map(([k, p]) => [k, p.default])), ...params });

// A 32x32 L plane (0..100) with some structure.
const L = cpuTensor([1, 1, 32, 32], Float32Array.from({ length: 1024 }, (_, i) => 50 + 45 * Math.sin(i % 32 / 5) * Math.cos(Math.floor(i / 32) / 7)));
const gray: GrayValue = { L, content: { width: 32, height: 32 } };
const grayN = cpuTensor([1, 1, 32, 32], L.data.map((v) => (v - 50) / 50) as Float32Array);
const data = (t: Tensor) => (t as CpuTensor).data;
const maxDiff = (a: Tensor, b: Tensor) => Math.max(...data(a).map((v, i) => Math.abs(v - data(b)[i])));

beforeAll(async () => {
  host = new OnnxModelHost({ source: fsModelSource(await tinyModelsDir()), gateway: createNodeGateway() });
  models = (await exec(loadModelSet, {}, { set: 'tiny' })) as Record<string, ModelValue>;
});

describe('model nodes', () => {
  it('are registered under DISCO/models', () => {
    expect(modelsNodes.map((n) => n.id)).toEqual([
      'disco/load-model-set', 'disco/spixelnet', 'disco/feature-extractor', 'disco/color-modeler', 'disco/color-generator', 'disco/refine']);
    expect(modelsNodes.every((n) => n.category === 'DISCO/models')).toBe(true);
  });

  it('load-model-set gives one MODEL per stage, each session made once', async () => {
    expect(Object.keys(models)).toEqual(['spixelnet', 'backbone', 'color_modeler', 'color_generator', 'refiner']);
    for (const [k, m] of Object.entries(models)) expect(m).toMatchObject({ set: 'tiny', stage: k, cell: 16 });
    await exec(loadModelSet, {}, { set: 'tiny' });
    expect(host.sessionsCreated).toBe(5);
  });

  it('load-model-set fingerprints the stage sha256s, so a changed set misses the cache', async () => {
    const d = await tinyModelsCopy();
    const h = new OnnxModelHost({ source: fsModelSource(d), gateway: createNodeGateway() });
    const before = await loadModelSet.fingerprint!(ctxFor('x', h), { set: 'tiny' });
    expect(before).toContain(`refiner=${models.refiner.sha256}`);
    const mpath = join(d, 'tiny', 'manifest.json');
    const m = JSON.parse(await readFile(mpath, 'utf8'));
    m.stages.refiner.sha256 = 'f'.repeat(64);
    await writeFile(mpath, JSON.stringify(m));
    const after = await loadModelSet.fingerprint!(ctxFor('x', h), { set: 'tiny' });
    expect(after).not.toBe(before);
    expect(after).toContain(`refiner=${'f'.repeat(64)}`);
    expect(h.sessionsCreated).toBe(0); // fingerprinting reads manifests only
  });

  it('load-model-set reads the manifest once per run (fingerprint and five loads)', async () => {
    const fs = fsModelSource(await tinyModelsDir());
    let reads = 0;
    const h = new OnnxModelHost({ source: { ...fs, readManifest: (set) => (reads++, fs.readManifest(set)) }, gateway: createNodeGateway() });
    const graph = { 1: { type: loadModelSet.id, inputs: { set: 'tiny' } } };
    const executor = new Executor({ registry: new NodeRegistry([loadModelSet]) });
    const run = () => executor.run(graph, { targets: ['1'], backend, models: h, io: ctxFor('x').io });
    expect((await run()).executed).toEqual(['1']);
    expect(reads).toBe(1);
    expect((await run()).cached).toEqual(['1']);
    expect(reads).toBe(2);
  });

  it('load-model-set in a later run (fresh cache, same host) notices a model file corrupted since the first', async () => {
    const d = await tinyModelsCopy();
    const h = new OnnxModelHost({ source: fsModelSource(d), gateway: createNodeGateway() });
    const graph = { 1: { type: loadModelSet.id, inputs: { set: 'tiny' } } };
    const run = () => new Executor({ registry: new NodeRegistry([loadModelSet]) }).run(graph, { targets: ['1'], backend, models: h, io: ctxFor('x').io });
    expect((await run()).executed).toEqual(['1']);
    const path = join(d, 'tiny', 'color_modeler.onnx');
    const bytes = await readFile(path);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(path, bytes);
    const second = await run();
    expect(second.errors.map((e) => e.message).join('\n')).toMatch(/color_modeler\.onnx: SHA-256 mismatch/);
    expect(h.sessionsCreated).toBe(5);
  });

  it('load-model-set stops on an aborted run', async () => {
    const ac = new AbortController();
    ac.abort(new Error('cancelled'));
    await expect(loadModelSet.execute(ctxFor('l', host, ac.signal), {}, { set: 'tiny' })).rejects.toThrow('cancelled');
  });

  it('runs the whole learned chain on 32x32 with the CPU backend', async () => {
    const { affinity } = (await exec(spixelnet, { gray, model: models.spixelnet })) as { affinity: AffinityValue };
    expect(affinity).toMatchObject({ cell: 16, method: 'spixelnet' });
    expect(affinity.assoc.shape).toEqual([1, 9, 32, 32]);
    // The node feeds (L-50)/50: the same as running the stage on a gray plane normalised here.
    expect(maxDiff(affinity.assoc, (await host.run(models.spixelnet, { gray: grayN })).assoc)).toBeLessThan(1e-6);

    const { features } = (await exec(featureExtractor, { gray, model: models.backbone })) as { features: Tensor };
    expect(features.shape).toEqual([1, 64, 32, 32]);
    expect(maxDiff(features, (await host.run(models.backbone, { gray: grayN })).features)).toBeLessThan(1e-6);

    const pooled = await backend.spPool(features, affinity.assoc, 16);
    const tokens: TokensValue = { tokens: pooled.pooled, cell: 16, mass: pooled.mass };
    const cm = (await exec(colorModeler, { tokens, model: models.color_modeler })) as { features: TokensValue; dist: ColorDistValue };
    expect(cm.features.tokens.shape).toEqual([1, 64, 2, 2]);
    expect(cm.features.mass).toBe(pooled.mass);
    expect(cm.dist.probs.shape).toEqual([1, 313, 2, 2]);
    for (let s = 0; s < 4; s++) {
      let sum = 0;
      for (let b = 0; b < 313; b++) sum += data(cm.dist.probs)[b * 4 + s];
      expect(sum).toBeCloseTo(1, 5);
    }

    const anchors: AnchorsValue = {
      gridH: 2, gridW: 2,
      anchors: [{ cell: 0, x: 0.25, y: 0.25, bin: 100, source: 'user' }, { cell: 3, x: 0.75, y: 0.75, bin: 200, source: 'auto' }],
    };
    const gen = (await exec(colorGenerator, { tokens, anchors, model: models.color_generator })) as { tokens: TokensValue; dist: ColorDistValue };
    expect(gen.tokens.tokens.shape).toEqual([1, 64, 2, 2]);
    expect(gen.dist.probs.shape).toEqual([1, 313, 2, 2]);
    // The anchors reach the model: moving one changes the generator tokens.
    const moved = { ...anchors, anchors: [{ ...anchors.anchors[0], bin: 5 }, anchors.anchors[1]] };
    const gen2 = (await exec(colorGenerator, { tokens, anchors: moved, model: models.color_generator })) as { tokens: TokensValue };
    expect(maxDiff(gen.tokens.tokens, gen2.tokens.tokens)).toBeGreaterThan(1e-4);

    const diffused = await backend.spDiffuse(gen.tokens.tokens, affinity.assoc, 16);
    const { ab } = (await exec(refine, { gray, features: diffused, model: models.refiner })) as { ab: Tensor };
    expect(ab.shape).toEqual([1, 2, 32, 32]);
    expect(data(ab).every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(maxDiff(ab, (await host.run(models.refiner, { gray: grayN, features: diffused })).ab)).toBeLessThan(1e-6);
  });

  it('names both stages when the wrong MODEL is wired', async () => {
    const features = cpuTensor([1, 64, 32, 32]);
    await expect(exec(refine, { gray, features, model: models.backbone })).rejects.toThrow(
      'disco/refine runs the refiner stage, but the backbone model of set "tiny" is wired to its model input; connect Load Model Set\'s refiner output instead');
    await expect(exec(spixelnet, { gray, model: models.refiner })).rejects.toThrow(/disco\/spixelnet runs the spixelnet stage, but the refiner model/);
    await expect(exec(featureExtractor, { gray })).rejects.toThrow(/disco\/feature-extractor: the model input is not connected/);
  });

  it('explains bad sizes and grids', async () => {
    const odd: GrayValue = { L: cpuTensor([1, 1, 24, 32]), content: { width: 32, height: 24 } };
    await expect(exec(spixelnet, { gray: odd, model: models.spixelnet })).rejects.toThrow(
      /disco\/spixelnet: the gray input is 32x24 pixels; width and height must be multiples of the 16-pixel cell/);
    await expect(exec(refine, { gray, features: cpuTensor([1, 64, 16, 16]), model: models.refiner })).rejects.toThrow(
      'disco/refine: the gray input is 32x32 but the features are 16x16');
    const tokens: TokensValue = { tokens: cpuTensor([1, 64, 2, 2]), cell: 16 };
    const anchors: AnchorsValue = { gridH: 3, gridW: 3, anchors: [] };
    await expect(exec(colorGenerator, { tokens, anchors, model: models.color_generator })).rejects.toThrow(
      'disco/color-generator: the anchors are on a 3x3 grid but the tokens are 2x2');
    await expect(exec(colorModeler, { tokens: { tokens: cpuTensor([1, 32, 2, 2]), cell: 16 }, model: models.color_modeler })).rejects.toThrow(
      'disco/color-modeler: the tokens input must be [1,64,h,w], got [1,32,2,2]');
  });
});
