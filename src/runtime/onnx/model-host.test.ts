import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tinyModelsCopy, tinyModelsDir } from '../../../test/helpers/tiny-models.ts';
import { cpuTensor, type CpuTensor, type GpuTensor } from '../values/tensor.ts';
import { fsModelSource } from './fs-model-source.ts';
import { OnnxModelHost } from './model-host.ts';
import type { OrtGateway } from './ort-gateway.ts';
import { createNodeGateway } from './ort-node.ts';
import { createWebGateway } from './ort-web.ts';
import { STAGE_CONTRACT, type Dim, type StageName } from './stage-contract.ts';

let dir: string;
beforeAll(async () => {
  dir = await tinyModelsDir();
});

const host = (d = dir) => new OnnxModelHost({ source: fsModelSource(d), gateway: createNodeGateway() });
const ramp = (shape: number[], scale = 0.01) => {
  const t = cpuTensor(shape);
  t.data.forEach((_, i) => { t.data[i] = Math.sin(i * scale); });
  return t;
};

describe('OnnxModelHost', () => {
  it('lists sets and describes one from its manifest', async () => {
    const h = host();
    expect(await h.listSets()).toEqual(['tiny', 'tiny-badnames']);
    const info = await h.describeSet('tiny');
    expect(info.cell).toBe(16);
    expect(Object.keys(info.stages).sort()).toEqual(['backbone', 'color_generator', 'color_modeler', 'refiner', 'spixelnet']);
    expect(info.stages.backbone.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('creates one session per file and reuses it', async () => {
    const h = host();
    const a = await h.load('tiny', 'spixelnet');
    const b = await h.load('tiny', 'spixelnet');
    await Promise.all([h.load('tiny', 'backbone'), h.load('tiny', 'backbone')]);
    expect(h.sessionsCreated).toBe(2);
    expect(a.sha256).toBe(b.sha256);
    expect(a).toMatchObject({ set: 'tiny', stage: 'spixelnet', file: 'spixelnet.onnx', inputs: ['gray'], outputs: ['assoc'], cell: 16 });
    await h.run(a, { gray: ramp([1, 1, 32, 32]) });
    expect(h.sessionsCreated).toBe(2);
  });

  it('prepares a whole set ahead: every session made once, warmed up, then reused by loads and runs', async () => {
    const runs: string[] = [];
    const g = createNodeGateway();
    const counting = {
      ...g,
      async createSession(bytes: Uint8Array, label: string) {
        const s = await g.createSession(bytes, label);
        return { ...s, run: (feeds: Parameters<typeof s.run>[0]) => (runs.push(`${label.match(/stage "(\w+)"/)![1]} ${JSON.stringify(Object.values(feeds).map((t) => t.shape))}`), s.run(feeds)) };
      },
    };
    const h = new OnnxModelHost({ source: fsModelSource(dir), gateway: counting });
    const models = await h.prepare('tiny', new AbortController().signal);
    expect(models.map((m) => m.stage)).toEqual(['spixelnet', 'backbone', 'color_modeler', 'color_generator', 'refiner']);
    expect(h.sessionsCreated).toBe(5);
    // One warm-up per stage at the manifest's working size (pixels) and one token per cell.
    const { workingSize: S, cell } = await h.describeSet('tiny');
    const t = S / cell;
    expect(runs).toEqual([
      `spixelnet [[1,1,${S},${S}]]`, `backbone [[1,1,${S},${S}]]`, `color_modeler [[1,64,${t},${t}],[1,64,${t},${t}]]`,
      `color_generator [[1,64,${t},${t}],[1,64,${t},${t}],[1,1,${t},${t}],[1,313,${t},${t}]]`, `refiner [[1,1,${S},${S}],[1,64,${S},${S}]]`,
    ]);
    const m = await h.load('tiny', 'refiner');
    await h.run(m, { gray: ramp([1, 1, 32, 32]), features: ramp([1, 64, 32, 32]) });
    expect(h.sessionsCreated).toBe(5);

    // Aborted before it starts: sessions are made, no warm-up runs.
    runs.length = 0;
    const cold = new OnnxModelHost({ source: fsModelSource(dir), gateway: counting });
    const stop = new AbortController();
    stop.abort();
    await cold.prepare('tiny', stop.signal);
    expect([cold.sessionsCreated, runs.length]).toEqual([5, 0]);
  });

  it('reads a set\'s manifest once per run (its signal) and once per prepare; the next run reads it again', async () => {
    const fs = fsModelSource(dir);
    let reads = 0;
    const counting = { ...fs, readManifest: (set: string) => (reads++, fs.readManifest(set)) };
    const h = new OnnxModelHost({ source: counting, gateway: createNodeGateway() });
    await h.prepare('tiny');
    expect(reads).toBe(1);
    for (const expected of [2, 3]) {
      const run = new AbortController().signal;
      await h.describeSet('tiny', run);
      await Promise.all(['spixelnet', 'backbone', 'color_modeler', 'color_generator', 'refiner'].map((s) => h.load('tiny', s, run)));
      expect(reads).toBe(expected);
    }
    await h.load('tiny', 'spixelnet');
    expect(reads).toBe(4); // without a run, every call reads
  });

  it('a prepare starts the runtime once the model files are downloading, not after the first one', async () => {
    const fs = fsModelSource(dir);
    const reads: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const slow = { ...fs, readFile: async (set: string, file: string) => (reads.push(file), await held, fs.readFile(set, file)) };
    const g = createNodeGateway();
    const startedWith: number[] = [];
    const h = new OnnxModelHost({ source: slow, gateway: { ...g, start: () => startedWith.push(reads.length) } });
    const prepared = h.prepare('tiny');
    await vi.waitFor(() => expect(startedWith).toEqual([5]));
    release();
    await prepared;
    expect(h.sessionsCreated).toBe(5);
  });

  it('lets the event loop in between the steps of a prepare: a run arriving meanwhile stops the warm-ups not yet begun', async () => {
    // A gateway whose calls settle in microtasks only, as onnxruntime-web's WASM calls do.
    const warmed: string[] = [];
    const stop = new AbortController();
    const { workingSize: S, cell } = await host().describeSet('tiny');
    const size = (d: Dim) => (typeof d === 'number' ? d : d === 'H' || d === 'W' ? S : d === 'h' || d === 'w' ? S / cell : 1);
    const microtasksOnly: OrtGateway = {
      description: 'microtasks only', acceptsGpuTensors: false,
      async createSession(_bytes, label) {
        const stage = label.match(/stage "(\w+)"/)![1] as StageName;
        const { inputs, outputs } = STAGE_CONTRACT[stage];
        return {
          inputNames: inputs.map((p) => p.name), outputNames: outputs.map((p) => p.name), shapes: {},
          async run() {
            // The run message comes as a task while the first warm-up is computing.
            if (!warmed.length) setImmediate(() => stop.abort());
            warmed.push(stage);
            return Object.fromEntries(outputs.map((p) => [p.name, cpuTensor(p.shape.map(size))]));
          },
          release: async () => undefined,
        };
      },
    };
    const h = new OnnxModelHost({ source: fsModelSource(dir), gateway: microtasksOnly });
    await h.prepare('tiny', stop.signal);
    expect(h.sessionsCreated).toBe(5);
    expect(warmed[0]).toBe('spixelnet');
    expect(warmed.length).toBeLessThanOrEqual(2); // all five, were the run seen only at the end
  });

  it('runs a stage: softmax association sums to 1 over the 9 channels', async () => {
    const h = host();
    const m = await h.load('tiny', 'spixelnet');
    const { assoc } = await h.run(m, { gray: ramp([1, 1, 32, 32]) });
    expect(assoc.shape).toEqual([1, 9, 32, 32]);
    const d = (assoc as CpuTensor).data;
    for (const p of [0, 17, 1023]) {
      let s = 0;
      for (let k = 0; k < 9; k++) s += d[k * 1024 + p];
      expect(s).toBeCloseTo(1, 5);
    }
  });

  it('refuses a file whose sha256 does not match, naming the file and both hashes', async () => {
    const d = await tinyModelsCopy();
    const path = join(d, 'tiny', 'refiner.onnx');
    const bytes = await readFile(path);
    bytes[bytes.length - 1] ^= 0xff; // same size, different content
    await writeFile(path, bytes);
    const h = host(d);
    await expect(h.load('tiny', 'refiner')).rejects.toThrow(
      new RegExp(`${path.replace(/[.]/g, '\\.')}: SHA-256 mismatch, the manifest says [0-9a-f]{64} but the file hashes to [0-9a-f]{64}`));
    expect(h.sessionsCreated).toBe(0);
  });

  it('checks a model file again only when the source stamps it otherwise: a file corrupted after its session was made fails the next load', async () => {
    const d = await tinyModelsCopy();
    const fs = fsModelSource(d);
    let version = 1;
    const reads: string[] = [];
    const stamped = { ...fs, stamp: (_set: string, file: string) => `${file}@${version}`, readFile: (set: string, file: string) => (reads.push(file), fs.readFile(set, file)) };
    const h = new OnnxModelHost({ source: stamped, gateway: createNodeGateway() });
    await h.load('tiny', 'refiner');
    await h.load('tiny', 'refiner');
    expect([reads, h.sessionsCreated]).toEqual([['refiner.onnx'], 1]);

    const path = join(d, 'tiny', 'refiner.onnx');
    const good = await readFile(path);
    const bad = Buffer.from(good);
    bad[bad.length - 1] ^= 0xff; // same size, different content
    await writeFile(path, bad);
    version++;
    await expect(h.load('tiny', 'refiner')).rejects.toThrow(/refiner\.onnx: SHA-256 mismatch/);
    await expect(h.load('tiny', 'refiner')).rejects.toThrow(/refiner\.onnx: SHA-256 mismatch/); // a failed check is not remembered

    await writeFile(path, good);
    version++;
    await expect(h.load('tiny', 'refiner')).resolves.toMatchObject({ stage: 'refiner' });
    await h.load('tiny', 'refiner');
    expect([reads.length, h.sessionsCreated]).toEqual([4, 1]); // checked again, the session kept

    // A stamp the source cannot give (e.g. a file changed just now): read and checked at every load.
    const unsure = new OnnxModelHost({ source: { ...stamped, stamp: () => undefined }, gateway: createNodeGateway() });
    reads.length = 0;
    for (let i = 0; i < 3; i++) await unsure.load('tiny', 'refiner');
    expect([reads.length, unsure.sessionsCreated]).toEqual([3, 1]);
  });

  it('on disk: a model file replaced after a load is noticed at the next one', async () => {
    const d = await tinyModelsCopy();
    const h = host(d);
    await h.load('tiny', 'backbone');
    const path = join(d, 'tiny', 'backbone.onnx');
    const bytes = await readFile(path);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(path, bytes);
    await expect(h.load('tiny', 'backbone')).rejects.toThrow(/backbone\.onnx: SHA-256 mismatch/);
  });

  it('checks a manifest once while its text stays the same, and again when it changes', async () => {
    const d = await tinyModelsCopy();
    const h = host(d);
    const first = await h.manifest('tiny');
    expect(await h.manifest('tiny')).toBe(first);
    const model = await h.load('tiny', 'refiner');
    expect(await h.load('tiny', 'refiner')).toBe(model); // nothing changed: the same value
    const mpath = join(d, 'tiny', 'manifest.json');
    const m = JSON.parse(await readFile(mpath, 'utf8'));
    m.stages.refiner.sha256 = 'f'.repeat(64);
    await writeFile(mpath, JSON.stringify(m));
    expect((await h.manifest('tiny')).stages.refiner.sha256).toBe('f'.repeat(64));
    await expect(h.load('tiny', 'refiner')).rejects.toThrow(/refiner\.onnx: SHA-256 mismatch, the manifest says f{64}/);
    await writeFile(mpath, JSON.stringify({ ...m, cell: 0 }));
    await expect(h.manifest('tiny')).rejects.toThrow(/manifest\.json: not a valid model-set manifest/);
  });

  it('refuses a file whose size does not match the manifest', async () => {
    const d = await tinyModelsCopy();
    const path = join(d, 'tiny', 'backbone.onnx');
    await writeFile(path, (await readFile(path)).subarray(0, 100));
    await expect(host(d).load('tiny', 'backbone')).rejects.toThrow(/backbone\.onnx: the file has 100 bytes, the manifest says \d+/);
  });

  it('names a stage the set does not have, and still loads the others', async () => {
    const d = await tinyModelsCopy();
    const mpath = join(d, 'tiny', 'manifest.json');
    const m = JSON.parse(await readFile(mpath, 'utf8'));
    delete m.stages.refiner;
    await writeFile(mpath, JSON.stringify(m));
    const h = host(d);
    await expect(h.load('tiny', 'refiner')).rejects.toThrow(/model set "tiny" has no "refiner" stage/);
    await expect(h.load('tiny', 'backbone')).resolves.toMatchObject({ stage: 'backbone' });
  });

  it('checks feeds against fixed sizes the manifest declares', async () => {
    const d = await tinyModelsCopy();
    const mpath = join(d, 'tiny', 'manifest.json');
    const m = JSON.parse(await readFile(mpath, 'utf8'));
    m.stages.spixelnet.inputs[0].shape = ['N', 1, 32, 32];
    await writeFile(mpath, JSON.stringify(m));
    const h = host(d);
    const model = await h.load('tiny', 'spixelnet');
    await expect(h.run(model, { gray: ramp([1, 1, 16, 16]) })).rejects.toThrow('input "gray" expects [N,1,32,32], got [1,1,16,16] (axis 2 is 16, not 32)');
    await expect(h.run(model, { gray: ramp([1, 1, 32, 32]) })).resolves.toHaveProperty('assoc');
  });

  it('names a model file the manifest lists but the folder lacks', async () => {
    const d = await tinyModelsCopy();
    await rm(join(d, 'tiny', 'color_modeler.onnx'));
    await expect(host(d).load('tiny', 'color_modeler')).rejects.toThrow(/tiny\/color_modeler\.onnx: cannot read the model file \(ENOENT\)/);
  });

  it('refuses an ONNX file whose graph names break the stage contract', async () => {
    const h = host();
    await expect(h.load('tiny-badnames', 'spixelnet')).rejects.toThrow(
      /stage "spixelnet".*the ONNX graph's inputs \[image\] do not match the spixelnet contract \[gray\]: missing "gray"; unexpected "image"/);
    await expect(h.load('tiny-badnames', 'refiner')).rejects.toThrow(/outputs \[out\] do not match the refiner contract \[ab\]/);
    await expect(h.load('tiny-badnames', 'backbone')).resolves.toMatchObject({ stage: 'backbone' });
  });

  it('names unknown sets and stages', async () => {
    const h = host();
    await expect(h.load('nope', 'backbone')).rejects.toThrow(/model set "nope" not found: .*manifest\.json does not exist \(sets in .*: tiny, tiny-badnames\)/);
    await expect(h.load('tiny', 'decoder')).rejects.toThrow('"decoder" is not a DISCO model stage; the stages are spixelnet, backbone, color_modeler, color_generator, refiner');
    await expect(h.load('../tiny', 'backbone')).rejects.toThrow(/model set name "\.\.\/tiny" is not allowed/);
  });

  it('checks feeds: names, and shapes naming the stage, input, expected and actual shape', async () => {
    const h = host();
    const m = await h.load('tiny', 'color_modeler');
    const tokens = ramp([1, 64, 2, 2]);
    await expect(h.run(m, { tokens })).rejects.toThrow(/stage "color_modeler".*wrong inputs: missing "pos"/);
    await expect(h.run(m, { tokens, pos: ramp([1, 64, 3, 2]) })).rejects.toThrow(
      'model set "tiny" stage "color_modeler" (color_modeler.onnx): input "pos" expects [N,64,h,w], got [1,64,3,2] (h is 2 in "tokens" but 3 here)');
    await expect(h.run(m, { tokens, pos: ramp([1, 32, 2, 2]) })).rejects.toThrow(/input "pos" expects \[N,64,h,w\], got \[1,32,2,2\] \(axis 1 is 32, not 64\)/);
    const out = await h.run(m, { tokens, pos: ramp([1, 64, 2, 2]) });
    expect(out.color_features.shape).toEqual([1, 64, 2, 2]);
    expect(out.logits.shape).toEqual([1, 313, 2, 2]);
  });

  it('honours an aborted signal', async () => {
    const h = host();
    const m = await h.load('tiny', 'backbone');
    const ac = new AbortController();
    ac.abort(new Error('stopped by the user'));
    await expect(h.run(m, { gray: ramp([1, 1, 32, 32]) }, ac.signal)).rejects.toThrow('stopped by the user');
  });

  it('reads GPU feeds back through `readback`, or says it cannot', async () => {
    const fake: GpuTensor = { location: 'gpu', dtype: 'float32', shape: [1, 1, 32, 32], buffer: {} as GPUBuffer };
    const m = await host().load('tiny', 'backbone');
    await expect(host().run(m, { gray: fake })).rejects.toThrow(/input "gray" is on the GPU, but onnxruntime-node .* takes CPU tensors and this host has no readback/);
    const gray = ramp([1, 1, 32, 32]);
    const withReadback = new OnnxModelHost({ source: fsModelSource(dir), gateway: createNodeGateway(), readback: async () => gray });
    const viaGpu = await withReadback.run(m, { gray: fake });
    const direct = await host().run(m, { gray });
    expect((viaGpu.features as CpuTensor).data).toEqual((direct.features as CpuTensor).data);
  });

  it('a MODEL value from another host still runs (the session is made again)', async () => {
    const m = await host().load('tiny', 'backbone');
    const other = host();
    const { features } = await other.run(m, { gray: ramp([1, 1, 32, 32]) });
    expect(features.shape).toEqual([1, 64, 32, 32]);
    expect(other.sessionsCreated).toBe(1);
  });

  it('after release, a MODEL value runs on a new session', async () => {
    const h = host();
    const m = await h.load('tiny', 'backbone');
    await h.release();
    await h.load('tiny', 'backbone'); // a new session for the same file; the old value must not reach the released one
    const { features } = await h.run(m, { gray: ramp([1, 1, 32, 32]) });
    expect(features.shape).toEqual([1, 64, 32, 32]);
    expect(h.sessionsCreated).toBe(2);
  });

  it('onnxruntime-web (WASM) gives the same outputs as onnxruntime-node', async () => {
    const web = new OnnxModelHost({ source: fsModelSource(dir), gateway: createWebGateway({ prefer: 'wasm' }) });
    const node = host();
    const feeds = {
      tokens: ramp([1, 64, 2, 3]), pos: ramp([1, 64, 2, 3], 0.03),
      mask: ramp([1, 1, 2, 3]), onehot: ramp([1, 313, 2, 3], 0.07),
    };
    const a = await web.run(await web.load('tiny', 'color_generator'), feeds);
    const b = await node.run(await node.load('tiny', 'color_generator'), feeds);
    for (const k of ['gen_tokens', 'aux_logits']) {
      const x = (a[k] as CpuTensor).data;
      const y = (b[k] as CpuTensor).data;
      expect(a[k].shape).toEqual(b[k].shape);
      expect(Math.max(...x.map((v, i) => Math.abs(v - y[i])))).toBeLessThan(1e-5);
      expect(Math.max(...x.map(Math.abs))).toBeGreaterThan(0.01); // not all zeros
    }
    expect((await web.load('tiny', 'refiner')).stage).toBe('refiner');
    await web.release();
  });
});
