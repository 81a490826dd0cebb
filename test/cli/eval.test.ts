/**
 * `disco eval` end to end: real engine, executor, sharp image IO, CPU backend and metrics, on two tiny
 * photos made with sharp. The node list is replaced by stand-ins (eval-toy-nodes.fixture.ts) so the
 * test does not depend on model files. What it proves:
 * - the workflow is fed the GRAY photo, not the original: an identity workflow scores exactly the
 *   gray baseline (were the original fed, PSNR would be Infinity);
 * - (--oracle-anchors is tested with the real nodes in eval-oracle.test.ts);
 * - the table (rows, mean row), --limit, --json, photo filtering and the error messages.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NodeRegistry } from '../../src/runtime/engine/registry.ts';
import { buildWorkflow, type WorkflowSpec } from '../../src/runtime/workflow/build.ts';
import { serializeWorkflow } from '../../src/runtime/workflow/load.ts';
import { evalToyNodes } from './eval-toy-nodes.fixture.ts';

vi.mock('../../src/nodes/index.ts', async () => ({ allNodes: (await import('./eval-toy-nodes.fixture.ts')).evalToyNodes }));
const { evalCommand } = await import('../../src/cli/commands/eval.ts');

const registry = new NodeRegistry(evalToyNodes);
let dir: string;
let photos: string;

/** Load Image -> SP-Pool (ab unlinked) -> Anchor Colors -> Save, plus an unused To Lab. */
const toyWorkflow: WorkflowSpec = {
  nodes: [
    { id: 1, type: 'disco/load-image' },
    { id: 2, type: 'test/to-lab' },
    { id: 3, type: 'disco/sp-pool' },
    { id: 4, type: 'disco/anchor-colors' },
    { id: 5, type: 'test/save' },
  ],
  links: [[1, 'image', 2, 'image'], [1, 'image', 3, 'image'], [3, 'image', 4, 'image'], [4, 'image', 5, 'image']],
};

async function writeWorkflow(name: string, spec: WorkflowSpec): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, serializeWorkflow(buildWorkflow(spec, registry)));
  return path;
}

/** A colourful test photo: hue varies across, brightness down. */
function colourful(w: number, h: number, seed: number): Buffer {
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 3 * (y * w + x);
      px[i] = (40 + 8 * x + seed * 30) % 256;
      px[i + 1] = (200 - 6 * y + 3 * x) % 256;
      px[i + 2] = (90 + 5 * x * y + seed) % 256;
    }
  }
  return px;
}

async function runEval(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await evalCommand(args), stdout };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

interface Scores { psnr: number | string; ssim: number; deltaE00: number; colorfulness: number }
interface Row { photo: string; width: number; height: number; result: Scores; gray: Scores; truthColorfulness: number }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'disco-eval-test-'));
  photos = join(dir, 'photos');
  await mkdir(photos);
  await sharp(colourful(32, 24, 1), { raw: { width: 32, height: 24, channels: 3 } }).png().toFile(join(photos, 'a.png'));
  await sharp(colourful(24, 22, 2), { raw: { width: 24, height: 22, channels: 3 } }).jpeg({ quality: 95 }).toFile(join(photos, 'b.jpg'));
  await writeFile(join(photos, 'notes.txt'), 'not a photo');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('disco eval', () => {
  it('feeds the gray photo: an identity workflow scores exactly the gray baseline', async () => {
    const wf = await writeWorkflow('identity.json', toyWorkflow);
    const json = join(dir, 'identity-scores.json');
    const { code, stdout } = await runEval([photos, '--workflow', wf, '--json', json]);
    expect(code).toBe(0);

    const report = JSON.parse(await readFile(json, 'utf8')) as { photos: Row[]; mean: Omit<Row, 'photo' | 'width' | 'height'>; oracleAnchors: boolean };
    expect(report.oracleAnchors).toBe(false);
    expect(report.photos.map((r) => [r.photo, r.width, r.height])).toEqual([['a.png', 32, 24], ['b.jpg', 24, 22]]);
    for (const row of report.photos) {
      expect(row.result).toEqual(row.gray);
      expect(typeof row.gray.psnr).toBe('number');
      expect(row.gray.psnr as number).toBeLessThan(30); // the photos are colourful, so gray is far off
      expect(row.gray.deltaE00).toBeGreaterThan(5);
      expect(row.gray.colorfulness).toBeLessThan(1);
      expect(row.truthColorfulness).toBeGreaterThan(20);
    }
    expect(report.mean.gray.psnr).toBeCloseTo(((report.photos[0].gray.psnr as number) + (report.photos[1].gray.psnr as number)) / 2, 10);

    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^photo\s+PSNR\s+SSIM\s+CF\s+CF gt\s+dE00\s+gray PSNR\s+gray SSIM\s+gray dE00$/);
    expect(lines.filter((l) => /^(a\.png|b\.jpg|mean \(2\))\s/.test(l))).toHaveLength(3);
    const a = report.photos[0];
    expect(lines.find((l) => l.startsWith('a.png'))).toContain(` ${(a.gray.psnr as number).toFixed(2)} `);
  });

  it('--limit takes the first N photos by name', async () => {
    const wf = await writeWorkflow('limit.json', toyWorkflow);
    const { stdout } = await runEval([photos, '--workflow', wf, '--limit', '1']);
    expect(stdout).toMatch(/^a\.png\s/m);
    expect(stdout).not.toMatch(/^b\.jpg\s/m);
    expect(stdout).toMatch(/^mean \(1\)\s/m);
  });

  it('scores a result of another size against the photo resized to it', async () => {
    const wf = await writeWorkflow('half.json', {
      nodes: [{ id: 1, type: 'disco/load-image' }, { id: 2, type: 'test/half' }, { id: 3, type: 'test/save' }],
      links: [[1, 'image', 2, 'image'], [2, 'image', 3, 'image']],
    });
    const json = join(dir, 'half-scores.json');
    const { stdout } = await runEval([photos, '--workflow', wf, '--json', json]);
    expect(stdout).toMatch(/^a\.png @16x12\s/m);
    const report = JSON.parse(await readFile(json, 'utf8')) as { photos: (Row & { comparedAt: unknown })[] };
    expect(report.photos.map((r) => r.comparedAt)).toEqual([{ width: 16, height: 12 }, { width: 12, height: 11 }]);
    // Gray-then-halve vs halve-then-gray: nearly the same image, so the two rows nearly agree.
    for (const row of report.photos) expect(Math.abs((row.result.psnr as number) - (row.gray.psnr as number))).toBeLessThan(1);
  });

  it('names the problem: missing node types for oracle anchors, no Load Model Set for --models', async () => {
    const noPool = await writeWorkflow('no-pool.json', {
      nodes: [{ id: 1, type: 'disco/load-image' }, { id: 2, type: 'test/save' }],
      links: [[1, 'image', 2, 'image']],
    });
    await expect(runEval([photos, '--workflow', noPool, '--oracle-anchors']))
      .rejects.toThrow('--oracle-anchors: needs node types this version does not have: disco/rgb-to-lab, disco/resize-to-working, disco/normalize-ab');
    await expect(runEval([photos, '--workflow', noPool, '--models', 'tiny']))
      .rejects.toThrow('--models needs a Load Model Set node (disco/load-model-set), and this workflow has none');
  });
});

describe('disco eval through bin/disco.mjs', () => {
  it('fails with one line and exit code 1 on a folder without photos', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'disco-eval-empty-'));
    try {
      const r = spawnSync(process.execPath, ['bin/disco.mjs', 'eval', empty], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`disco: ${empty}: no photos (png, jpg, jpeg or webp) in the folder\n`);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('is listed in the usage text, and a bad --limit is a usage error (exit 2)', () => {
    expect(spawnSync(process.execPath, ['bin/disco.mjs', '--help'], { encoding: 'utf8' }).stdout).toContain('disco eval <folder>');
    const r = spawnSync(process.execPath, ['bin/disco.mjs', 'eval', '.', '--limit', '0'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--limit must be a whole number from 1');
  });
});
