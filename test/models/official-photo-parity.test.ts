// From the photo file on, `disco colorize`'s workflow (workflows/disco-auto.json) with an imported
// official-format checkpoint (random weights) gives what the official code gives: the clean-room
// PyTorch model run with OpenCV doing every image step exactly as the official code does
// (training/official_photo_pipeline.py: cv2.imread, /255 float32, cvtColor RGB2LAB, INTER_LINEAR
// resizes or edge padding, numpy seed 1 before k-means, LAB2RGB, x255 astype uint8). Real photos,
// colour and gray, sizes that are not multiples of 16; the demo path (networks at a fixed size, ab
// resized back and joined with the photo's L), the script's --no_resize path (networks at the
// photo's size, padded to multiples of 16) and the script's default path (workflows/disco-official-script.json:
// the uint8 photo resized to 256 x 256 first, result at 256 x 256). Same anchor cells and bins, RGB PSNR >= 45 dB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oracleVariant } from '../../src/cli/eval/oracle-anchors.ts';
import { executeWorkflow, nodeRegistry } from '../../src/cli/execute.ts';
import { Executor } from '../../src/runtime/engine/executor.ts';
import { fsModelSource } from '../../src/runtime/onnx/fs-model-source.ts';
import { OnnxModelHost } from '../../src/runtime/onnx/model-host.ts';
import { createNodeGateway } from '../../src/runtime/onnx/ort-node.ts';
import type { AnchorsValue, ImageValue } from '../../src/runtime/values/types.ts';
import { loadWorkflow, setParam } from '../../src/runtime/workflow/index.ts';
import type { Workflow } from '../../src/runtime/workflow/schema.ts';
import { PYTHON, skipWithoutTorch } from '../helpers/python.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const hasCv2 = spawnSync(PYTHON, ['-c', 'import cv2'], { stdio: 'ignore' }).status === 0;
const skip = skipWithoutTorch('official-photo-parity') || (!hasCv2 && !process.env.CI);
if (!hasCv2 && !process.env.CI) console.warn('official-photo-parity: skipped: python3-opencv is missing (sudo apt-get install python3-opencv)');

interface Photo { name: string; file: string; path: 'demo' | 'full' | 'script'; size: number; modes: ('auto' | 'reference')[]; w: number; h: number }
interface Result { cells: number[]; bins: number[]; rgb: string; shape: [number, number, number] }

let work = '';
const photos: Photo[] = [];

function python(args: string[]): string {
  const r = spawnSync(PYTHON, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${PYTHON} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

beforeAll(() => {
  if (skip) return;
  work = mkdtempSync(join(tmpdir(), 'disco-official-photo-'));
  python(['training/make_random_checkpoint.py', join(work, 'random.pth.tar'), '--seed', '0']);
  python(['training/import_checkpoint.py', join(work, 'random.pth.tar'), '--name', 'random', '--out', join(work, 'models'),
    '--license', 'MIT (random weights)']);
  // Real photos: the example (colour and gray) and two crops of it (colour and gray), none a multiple of 16.
  const crops: [string, string, number, number, number, number][] = [
    ['crop-colour', 'examples/chelsea.png', 200, 60, 151, 113],
    ['crop-gray', 'examples/chelsea-gray.png', 30, 10, 175, 97],
  ];
  python(['-c', `import cv2, sys
for name, src, x, y, w, h in ${JSON.stringify(crops)}:
    cv2.imwrite(f"${work}/{name}.png", cv2.imread(src, cv2.IMREAD_UNCHANGED)[y:y + h, x:x + w])`]);
  photos.push(
    { name: 'chelsea', file: join(ROOT, 'examples/chelsea.png'), path: 'demo', size: 256, modes: ['auto', 'reference'], w: 451, h: 300 },
    { name: 'chelsea-gray', file: join(ROOT, 'examples/chelsea-gray.png'), path: 'demo', size: 128, modes: ['auto'], w: 451, h: 300 },
    { name: 'crop-colour', file: join(work, 'crop-colour.png'), path: 'full', size: 256, modes: ['auto', 'reference'], w: 151, h: 113 },
    { name: 'crop-gray', file: join(work, 'crop-gray.png'), path: 'full', size: 256, modes: ['auto'], w: 175, h: 97 },
    { name: 'chelsea-script', file: join(ROOT, 'examples/chelsea.png'), path: 'script', size: 256, modes: ['auto'], w: 256, h: 256 },
  );
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255) / (se / a.length));
}

describe.skipIf(skip)('disco colorize from a photo file matches the official pipeline (OpenCV + PyTorch)', () => {
  it('same anchors and bins, RGB PSNR >= 45 dB, automatic and user-anchor (reference colours) modes', async () => {
    const registry = nodeRegistry();
    const workflow = (file: string) => loadWorkflow(readFileSync(join(ROOT, 'workflows', file), 'utf8'), { registry }).workflow;
    const demo = workflow('disco-auto.json'), script = workflow('disco-official-script.json');
    const nodeOf = (w: Workflow, type: string) => String(w.nodes.find((n) => n.type === type)!.id);
    // the two workflows share these node ids (scripts/make-workflows.ts)
    const [load, resize, colours, recombine] = ['disco/load-image', 'disco/resize-to-working', 'disco/anchor-colors', 'disco/recombine'].map((t) => nodeOf(demo, t));
    const models = new OnnxModelHost({ source: fsModelSource(join(work, 'models')), gateway: createNodeGateway() });
    const executor = new Executor({ registry });

    const ours: Record<string, Record<string, { cells: number[]; bins: number[]; rgb: Uint8Array }>> = {};
    for (const photo of photos) {
      const base = photo.path === 'script' ? script : demo;
      let wf = setParam(base, nodeOf(base, 'disco/load-model-set'), 'set', 'random', registry);
      wf = setParam(wf, load, 'image', photo.file, registry);
      if (photo.path !== 'script') {
        wf = setParam(wf, resize, 'size', photo.size, registry);
        wf = setParam(wf, resize, 'fullSize', photo.path === 'full', registry);
      }
      ours[photo.name] = {};
      for (const mode of photo.modes) {
        let run = wf;
        if (mode === 'reference') {
          const oracle = oracleVariant(wf, registry); // the photo's own colours as the supplied ab
          run = setParam(oracle.workflow, oracle.referenceImageNode, 'image', photo.file, registry);
        }
        const { result } = await executeWorkflow(run, { baseDir: join(ROOT, 'workflows'), models, executor, targets: [recombine] });
        const image = result.outputs[recombine].image as ImageValue;
        expect([image.width, image.height]).toEqual([photo.w, photo.h]);
        const rgb = new Uint8Array(photo.w * photo.h * 3);
        for (let p = 0; p < photo.w * photo.h; p++) rgb.set(image.data.subarray(4 * p, 4 * p + 3), 3 * p);
        const anchors = [...(result.values.get(colours)!.anchors as AnchorsValue).anchors].sort((a, b) => a.cell - b.cell);
        ours[photo.name][mode] = { cells: anchors.map((a) => a.cell), bins: anchors.map((a) => a.bin!), rgb };
      }
    }

    writeFileSync(join(work, 'request.json'), JSON.stringify({ k: 8, photos }));
    python(['training/official_photo_pipeline.py', join(work, 'random.pth.tar'), work]);
    const ref = JSON.parse(readFileSync(join(work, 'response.json'), 'utf8')) as Record<string, Record<string, Result>>;

    const report: string[] = [];
    for (const photo of photos) {
      for (const mode of photo.modes) {
        const mine = ours[photo.name][mode], theirs = ref[photo.name][mode];
        const official = new Uint8Array(readFileSync(join(work, theirs.rgb)));
        const db = psnr(mine.rgb, official);
        report.push(`${photo.name} ${photo.path} ${mode}: cells ${mine.cells.join(',')}, PSNR ${db.toFixed(1)} dB`);
        expect(mine.cells, `${photo.name} ${mode} anchor cells`).toEqual(theirs.cells);
        expect(mine.bins, `${photo.name} ${mode} anchor bins`).toEqual(theirs.bins);
        expect(db, `${photo.name} ${mode} RGB PSNR`).toBeGreaterThanOrEqual(45);
      }
    }
    console.log(`official-photo-parity:\n  ${report.join('\n  ')}`);
  }, 900_000);

  it('reference-guided.json with the imported weights: the photo as its own reference gives the oracle anchors\' colours', async () => {
    // Same L, same weights: every anchor's nearest reference superpixel is its own (distance 0,
    // confidence 1), so its colour is its own pooled colour, exactly what oracle anchors use.
    const registry = nodeRegistry();
    const read = (file: string) => loadWorkflow(readFileSync(join(ROOT, 'workflows', file), 'utf8'), { registry }).workflow;
    const photo = join(ROOT, 'examples/chelsea.png');
    const prepare = (w: Workflow, sizes: string[]) => {
      w = setParam(w, '6', 'set', 'random', registry); // node ids of scripts/make-workflows.ts
      w = setParam(w, '1', 'image', photo, registry);
      return sizes.reduce((acc, id) => setParam(acc, id, 'size', 96, registry), w);
    };
    const models = new OnnxModelHost({ source: fsModelSource(join(work, 'models')), gateway: createNodeGateway() });
    const executor = new Executor({ registry });
    const run = async (w: Workflow) => {
      const { result } = await executeWorkflow(w, { baseDir: join(ROOT, 'workflows'), models, executor, targets: ['18'] });
      const anchors = [...(result.values.get('14')!.anchors as AnchorsValue).anchors].sort((a, b) => a.cell - b.cell);
      return { anchors, image: result.outputs['18'].image as ImageValue };
    };
    const guided = await run(setParam(prepare(read('reference-guided.json'), ['4', '22']), '20', 'image', photo, registry));
    const oracle = oracleVariant(prepare(read('disco-auto.json'), ['4']), registry);
    const truth = await run(setParam(oracle.workflow, oracle.referenceImageNode, 'image', photo, registry));
    expect(guided.anchors.map((a) => a.cell)).toEqual(truth.anchors.map((a) => a.cell));
    expect(guided.anchors.map((a) => a.bin)).toEqual(truth.anchors.map((a) => a.bin));
    for (const a of guided.anchors) expect(a).toMatchObject({ source: 'reference', reference: { token: a.cell, confidence: 1, applied: true } });
    expect(Buffer.from(guided.image.data).equals(Buffer.from(truth.image.data))).toBe(true);
  }, 600_000);
});
