// Export parity: the Python exporter (training/import_checkpoint.py) turns a randomly initialised
// official-format DISCO checkpoint into five ONNX stage graphs and dumps PyTorch's outputs for fixed
// 64x64 inputs (4x4 tokens). Every stage must reproduce them in onnxruntime-node and in
// onnxruntime-web's WASM backend within 1e-4. Then the whole pipeline with the imported set
// (workflows/disco-auto.json: automatic, diverse and user-anchor modes at 256x256) must reproduce the
// clean-room PyTorch pipeline (training/reference_pipeline.py) given the same anchors.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ortNode from 'onnxruntime-node';
import { oracleVariant } from '../../src/cli/eval/oracle-anchors.ts';
import { executeWorkflow, nodeRegistry } from '../../src/cli/execute.ts';
import { Executor } from '../../src/runtime/engine/executor.ts';
import { fsModelSource } from '../../src/runtime/onnx/fs-model-source.ts';
import { OnnxModelHost } from '../../src/runtime/onnx/model-host.ts';
import { createNodeGateway } from '../../src/runtime/onnx/ort-node.ts';
import type { CpuTensor } from '../../src/runtime/values/tensor.ts';
import type { AnchorsValue, GrayValue, ImageValue } from '../../src/runtime/values/types.ts';
import { loadWorkflow, setParam } from '../../src/runtime/workflow/index.ts';
import type { Workflow } from '../../src/runtime/workflow/schema.ts';
import { PYTHON, skipWithoutTorch } from '../helpers/python.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const TOL = 1e-4;
const STAGES = ['spixelnet', 'backbone', 'color_modeler', 'color_generator', 'refiner'] as const;

interface TensorEntry { file: string; shape: number[] }
interface DumpIndex {
  stages: Record<string, { inputs: Record<string, TensorEntry>; outputs: Record<string, TensorEntry> }>;
}

const skip = skipWithoutTorch('export-parity');

function python(args: string[]): void {
  const r = spawnSync(PYTHON, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
}

function readF32(dir: string, e: TensorEntry): Float32Array {
  const buf = readFileSync(join(dir, e.file));
  const n = e.shape.reduce((a, b) => a * b, 1);
  expect(buf.byteLength).toBe(n * 4);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d; // NaN propagates as a failure
  }
  return m;
}

type Ort = typeof ortNode;

async function runStage(ort: Ort, model: Uint8Array, dump: string, stage: string, index: DumpIndex) {
  const session = await ort.InferenceSession.create(model);
  try {
    const io = index.stages[stage];
    const feeds: Record<string, ortNode.Tensor> = {};
    for (const [name, e] of Object.entries(io.inputs)) {
      feeds[name] = new ort.Tensor('float32', readF32(dump, e), e.shape);
    }
    const out = await session.run(feeds);
    const diffs: Record<string, number> = {};
    for (const [name, e] of Object.entries(io.outputs)) {
      expect(out[name], `${stage} output ${name}`).toBeDefined();
      expect(Array.from(out[name].dims)).toEqual(e.shape);
      diffs[name] = maxAbsDiff(out[name].data as Float32Array, readF32(dump, e));
    }
    return diffs;
  } finally {
    await session.release();
  }
}

let work = '';
const checkpoint = () => join(work, 'random.pth.tar');
const modelsDir = () => join(work, 'models');

beforeAll(() => {
  if (skip) return;
  work = mkdtempSync(join(tmpdir(), 'disco-export-'));
  python(['training/make_random_checkpoint.py', checkpoint(), '--seed', '0']);
  python(['training/import_checkpoint.py', checkpoint(), '--name', 'random', '--out', modelsDir(),
    '--dump', join(work, 'dump'), '--license', 'MIT (random weights)']);
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.skipIf(skip)('ONNX export parity with PyTorch', () => {
  let index: DumpIndex;
  const setDir = () => join(modelsDir(), 'random');
  const dumpDir = () => join(work, 'dump');

  beforeAll(() => {
    index = JSON.parse(readFileSync(join(dumpDir(), 'index.json'), 'utf8')) as DumpIndex;
  });

  it('writes a manifest naming every stage with its hash and I/O', () => {
    const m = JSON.parse(readFileSync(join(setDir(), 'manifest.json'), 'utf8'));
    expect(m.formatVersion).toBe(1);
    expect(m.cell).toBe(16);
    expect(Object.keys(m.stages).sort()).toEqual([...STAGES].sort());
    expect(m.stages.color_generator.inputs.map((i: { name: string }) => i.name))
      .toEqual(['tokens', 'pos', 'mask', 'onehot']);
    expect(m.stages.refiner.outputs[0]).toEqual({ name: 'ab', dtype: 'float32', shape: ['N', 2, 'H', 'W'] });
    for (const s of STAGES) {
      expect(m.stages[s].bytes).toBe(readFileSync(join(setDir(), m.stages[s].file)).byteLength);
      expect(m.stages[s].sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it.each(STAGES)('%s matches PyTorch in onnxruntime-node and onnxruntime-web (wasm)', async (stage) => {
    const model = new Uint8Array(readFileSync(join(setDir(), `${stage}.onnx`)));
    const nodeDiffs = await runStage(ortNode, model, dumpDir(), stage, index);
    const ortWeb = (await import('onnxruntime-web')) as unknown as Ort;
    ortWeb.env.wasm.numThreads = 1;
    const webDiffs = await runStage(ortWeb, model, dumpDir(), stage, index);
    for (const [name, d] of Object.entries(nodeDiffs)) expect(d, `node ${stage}.${name}`).toBeLessThanOrEqual(TOL);
    for (const [name, d] of Object.entries(webDiffs)) expect(d, `web ${stage}.${name}`).toBeLessThanOrEqual(TOL);
  }, 180_000);
});

/** Max abs difference allowed between the TypeScript pipeline's ab and PyTorch's: five networks with
 * the official widths (random weights) and the parameter-free stages in float32 on both sides. */
const PIPELINE_TOL = 5e-4; // measured 9e-5
const PHOTO = join(ROOT, 'examples/chelsea.png');

interface Reference {
  grid: [number, number];
  autoLabels: number[];
  referenceLabels: number[];
  cases: Record<string, TensorEntry>;
}

describe.skipIf(skip)('the whole pipeline with the imported set matches the PyTorch reference', () => {
  it('automatic, diverse (T = 1, 2) and user-anchor modes at 256x256, ab upscaled to the photo', async () => {
    const registry = nodeRegistry();
    const nodeOf = (w: Workflow, type: string) => String(w.nodes.find((n) => n.type === type)!.id);
    let wf = loadWorkflow(readFileSync(join(ROOT, 'workflows/disco-auto.json'), 'utf8'), { registry }).workflow;
    wf = setParam(wf, nodeOf(wf, 'disco/load-model-set'), 'set', 'random', registry);
    wf = setParam(wf, nodeOf(wf, 'disco/load-image'), 'image', PHOTO, registry);
    const [colours, refine, gray, recombine] = ['disco/anchor-colors', 'disco/refine', 'disco/lab-to-gray', 'disco/recombine'].map((t) => nodeOf(wf, t));
    const models = new OnnxModelHost({ source: fsModelSource(modelsDir()), gateway: createNodeGateway() });
    const executor = new Executor({ registry });
    const run = async (w: Workflow) => {
      const { result } = await executeWorkflow(w, { baseDir: join(ROOT, 'workflows'), models, executor, targets: [recombine] });
      const photo = result.outputs[recombine].image as ImageValue;
      expect([photo.width, photo.height]).toEqual([451, 300]); // the ab is upscaled back to the photo
      const anchors = result.values.get(colours)!.anchors as AnchorsValue;
      const ab = result.values.get(refine)!.ab as CpuTensor;
      expect(ab.shape).toEqual([1, 2, 256, 256]);
      return { anchors, ab: ab.data as Float32Array, values: result.values };
    };

    const mode: Record<string, Awaited<ReturnType<typeof run>>> = {};
    for (const variant of [0, 1, 2]) mode[`T${variant}`] = await run(setParam(wf, colours, 'variant', variant, registry));
    const oracle = oracleVariant(wf, registry);
    mode.user = await run(setParam(oracle.workflow, oracle.referenceImageNode, 'image', PHOTO, registry));

    const io = join(work, 'pipeline');
    mkdirSync(io, { recursive: true });
    const writeF32 = (file: string, t: CpuTensor) => {
      const f = t.data as Float32Array;
      writeFileSync(join(io, file), Buffer.from(f.buffer, f.byteOffset, f.byteLength));
      return { file, shape: t.shape };
    };
    const L = (mode.T0.values.get(gray)!.gray as GrayValue).L as CpuTensor;
    const referenceAb = mode.user.values.get(nodeOf(oracle.workflow, 'disco/normalize-ab'))!.ab_n as CpuTensor;
    const cases = Object.entries(mode).map(([name, m]) => ({
      name, cells: m.anchors.anchors.map((a) => a.cell), labels: m.anchors.anchors.map((a) => a.bin),
    }));
    writeFileSync(join(io, 'request.json'), JSON.stringify({ gray: writeF32('gray.f32', L), referenceAb: writeF32('reference-ab.f32', referenceAb), cases }));
    python(['training/reference_pipeline.py', checkpoint(), io]);
    const ref = JSON.parse(readFileSync(join(io, 'response.json'), 'utf8')) as Reference;

    expect(ref.grid).toEqual([16, 16]);
    expect(mode.T0.anchors.anchors).toHaveLength(8);
    // automatic mode: the top-1 bin of the colour modeler at every anchor
    for (const a of mode.T0.anchors.anchors) expect(a.bin, `auto anchor at ${a.cell}`).toBe(ref.autoLabels[a.cell]);
    // user-anchor mode: the nearest bin of the supplied colours pooled over the anchor's superpixel
    for (const a of mode.user.anchors.anchors) expect(a.bin, `user anchor at ${a.cell}`).toBe(ref.referenceLabels[a.cell]);
    // diverse picks differ from the top-1 somewhere (which ones is checked against the official vectors)
    expect(mode.T1.anchors.anchors.some((a, i) => a.bin !== mode.T0.anchors.anchors[i].bin)).toBe(true);
    for (const [name, m] of Object.entries(mode)) {
      expect(maxAbsDiff(m.ab, readF32(io, ref.cases[name])), `${name} ab`).toBeLessThanOrEqual(PIPELINE_TOL);
    }
  }, 600_000);
});
