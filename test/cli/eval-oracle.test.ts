/**
 * `disco eval --oracle-anchors` with the real nodes. The variant is checked on the shipped default
 * workflow (structure), and run end to end on a training-free workflow (SLIC superpixels, k-means
 * anchors on Lab tokens, Laplacian propagation): in model mode its Anchor Colors node has no colour
 * model and would fail, so a successful run proves the variant fed the ground-truth ab through
 * SP-Pool into Anchor Colors (mode reference-ab); true anchor colours then beat the gray baseline.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { evalCommand } from '../../src/cli/commands/eval.ts';
import { oracleVariant } from '../../src/cli/eval/oracle-anchors.ts';
import { nodeRegistry } from '../../src/cli/execute.ts';
import { readWorkflowFile } from '../../src/cli/workflow-file.ts';
import { buildWorkflow } from '../../src/runtime/workflow/build.ts';
import { serializeWorkflow } from '../../src/runtime/workflow/load.ts';
import { toExecGraph } from '../../src/runtime/workflow/to-exec.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'disco-eval-oracle-'));
  await mkdir(join(dir, 'photos'));
  // Two colour regions with a soft boundary: propagation from a few true anchors recovers them well.
  for (const [name, w, h] of [['a.png', 48, 40], ['b.png', 40, 48]] as const) {
    const px = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const t = Math.min(1, Math.max(0, (x - w / 2) / 6 + 0.5));
        px.set([Math.round(200 * (1 - t) + 40 * t), Math.round(60 + y), Math.round(50 * (1 - t) + 190 * t)], 3 * (y * w + x));
      }
    }
    await sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toFile(join(dir, 'photos', name));
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('oracle anchors', () => {
  it('on disco-auto.json: a ground-truth Lab path into sp-pool.ab, anchor-colors in reference-ab mode reading the tokens', async () => {
    const registry = nodeRegistry();
    const { workflow } = await readWorkflowFile('workflows/disco-auto.json', registry);
    const before = toExecGraph(workflow, registry).graph;
    const v = oracleVariant(workflow, registry);
    const { graph } = toExecGraph(v.workflow, registry);
    const typeOf = (link: unknown) => graph[(link as [string, number])[0]].type;
    const pool = Object.keys(graph).find((id) => graph[id].type === 'disco/sp-pool')!;
    const colors = Object.keys(graph).find((id) => graph[id].type === 'disco/anchor-colors')!;
    const normalize = graph[(graph[pool].inputs.ab as [string, number])[0]];
    expect(normalize.type).toBe('disco/normalize-ab');
    const resize = graph[(normalize.inputs.lab as [string, number])[0]];
    expect(resize.type).toBe('disco/resize-to-working');
    const original = Object.values(before).find((n) => n.type === 'disco/resize-to-working')!;
    expect([resize.inputs.size, resize.inputs.keepAspect]).toEqual([original.inputs.size, original.inputs.keepAspect]);
    const toLab = graph[(resize.inputs.lab as [string, number])[0]];
    expect(toLab.type).toBe('disco/rgb-to-lab');
    expect(toLab.inputs.image).toEqual([v.referenceImageNode, 0]);
    expect(graph[v.referenceImageNode].type).toBe('disco/load-image');
    expect(graph[v.grayImageNode].type).toBe('disco/load-image');
    expect(v.grayImageNode).not.toBe(v.referenceImageNode);
    expect(graph[colors].inputs.mode).toBe('reference-ab');
    expect(typeOf(graph[colors].inputs.tokens)).toBe('disco/sp-pool');
    expect(Object.keys(graph)).toHaveLength(Object.keys(before).length + 4);
  });

  it('runs end to end on a training-free workflow and beats the gray baseline', async () => {
    const wfPath = join(dir, 'free.json');
    await writeFile(wfPath, serializeWorkflow(buildWorkflow({
      nodes: [
        { id: 1, type: 'disco/load-image' },
        { id: 2, type: 'disco/gray-from-photo' },
        { id: 3, type: 'disco/rgb-to-lab' },
        { id: 4, type: 'disco/resize-to-working', params: { size: 64 } },
        { id: 5, type: 'disco/lab-to-gray' },
        { id: 6, type: 'disco/slic-affinity' },
        { id: 7, type: 'disco/lab-tokens' },
        { id: 8, type: 'disco/normalize-ab' },
        { id: 9, type: 'disco/sp-pool' },
        { id: 10, type: 'disco/anchor-locator', params: { k: 4 } },
        { id: 11, type: 'disco/anchor-colors' },
        { id: 12, type: 'disco/propagate-anchors' },
        { id: 13, type: 'disco/recombine' },
        { id: 14, type: 'disco/save-image' },
      ],
      links: [
        [1, 'image', 2, 'image'], [2, 'image', 3, 'image'], [3, 'lab', 4, 'lab'], [4, 'lab', 5, 'lab'],
        [4, 'lab', 6, 'lab'], [4, 'lab', 7, 'lab'], [6, 'affinity', 7, 'affinity'],
        [4, 'lab', 8, 'lab'], [8, 'ab_n', 9, 'features'], [6, 'affinity', 9, 'affinity'],
        [7, 'tokens', 10, 'features'], [6, 'affinity', 10, 'affinity'], [10, 'anchors', 11, 'anchors'],
        [11, 'anchors', 12, 'anchors'], [7, 'tokens', 12, 'tokens'], [6, 'affinity', 12, 'affinity'],
        [3, 'lab', 13, 'photo'], [5, 'gray', 13, 'working'], [12, 'ab', 13, 'ab'], [13, 'image', 14, 'image'],
      ],
    }, nodeRegistry())));
    const json = join(dir, 'scores.json');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await evalCommand([join(dir, 'photos'), '--workflow', wfPath, '--oracle-anchors', '--json', json])).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
    const report = JSON.parse(await readFile(json, 'utf8'));
    expect(report.photos).toHaveLength(2);
    for (const row of report.photos) {
      // Measured: PSNR about 16.2 vs 12.1-12.2 dB gray, ΔE00 about 15 vs 26, CF about 75 vs 143 truth.
      expect(row.result.psnr).toBeGreaterThan(row.gray.psnr + 3);
      expect(row.result.deltaE00).toBeLessThan(row.gray.deltaE00 * 0.7);
      expect(row.result.colorfulness).toBeGreaterThan(row.truthColorfulness / 3);
    }
  });
});
