// Export parity: the Python exporter (training/import_checkpoint.py) turns a randomly initialised
// official-format DISCO checkpoint into five ONNX stage graphs and dumps PyTorch's outputs for fixed
// 64x64 inputs (4x4 tokens). Every stage must reproduce them in onnxruntime-node and in
// onnxruntime-web's WASM backend within 1e-4.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ortNode from 'onnxruntime-node';
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

describe.skipIf(skip)('ONNX export parity with PyTorch', () => {
  let work = '';
  let index: DumpIndex;
  const setDir = () => join(work, 'models', 'random');
  const dumpDir = () => join(work, 'dump');

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'disco-export-'));
    const ckpt = join(work, 'random.pth.tar');
    python(['training/make_random_checkpoint.py', ckpt, '--seed', '0']);
    python(['training/import_checkpoint.py', ckpt, '--name', 'random', '--out', join(work, 'models'),
      '--dump', dumpDir(), '--license', 'MIT (random weights)']);
    rmSync(ckpt);
    index = JSON.parse(readFileSync(join(dumpDir(), 'index.json'), 'utf8')) as DumpIndex;
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
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
