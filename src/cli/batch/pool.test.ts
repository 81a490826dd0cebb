/** The worker pool: every photo settles once, a worker that dies fails its photo and is replaced. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { threadsPerWorker, runPool, workerEnv } from './pool.ts';
import { BatchProgress } from './progress.ts';
import { bundleWorker, tsxWorker } from './worker-bundle.ts';

const STAND_IN = fileURLToPath(new URL('./fixtures/crashy-worker.ts', import.meta.url));
const quiet = () => ({ isTTY: false, write: () => true }) as unknown as NodeJS.WriteStream;

describe('batch worker pool', () => {
  it('goes past a failed photo and a worker that dies, replacing it, and settles every photo once', async () => {
    const lines: string[] = [];
    const out = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const names = ['a.png', 'crash1.png', 'b.png', 'fail.png', 'c.png', 'crash2.png', 'd.png'];
    const items = names.map((n) => ({ input: `/photos/${n}`, output: `/out/${n}` }));
    const progress = new BatchProgress(out, items.length);
    const failures = await runPool(items, { workers: 2, settings: { diverse: 1, backend: 'cpu' }, progress, worker: tsxWorker(STAND_IN) });
    expect(progress.counts).toEqual({ done: 4, skipped: 0, failed: 3 });
    expect(failures.map((f) => f.input).sort()).toEqual(['/photos/crash1.png', '/photos/crash2.png', '/photos/fail.png']);
    expect(failures.find((f) => f.input.endsWith('crash1.png'))!.message).toBe('the worker stopped (SIGKILL) while colorizing it: simulated crash');
    expect(lines.filter((l) => / -> /.test(l))).toHaveLength(4);
  }, 120_000);

  it('stops with the error of `ready` when it rejects (e.g. the parent refused the workflow)', async () => {
    const refused = new Error('--diverse needs an Anchor Colors node');
    const items = ['a.png', 'b.png'].map((n) => ({ input: `/photos/${n}`, output: `/out/${n}` }));
    const progress = new BatchProgress(quiet(), items.length);
    const slow = new Promise((_, reject) => setTimeout(() => reject(refused), 200));
    await expect(runPool(items, { workers: 2, settings: { diverse: 1, backend: 'cpu' }, progress, worker: tsxWorker(STAND_IN), ready: slow })).rejects.toBe(refused);
    expect(progress.counts).toEqual({ done: 0, skipped: 0, failed: 0 });
    await expect(runPool([], { workers: 2, settings: { diverse: 1, backend: 'cpu' }, progress, ready: Promise.reject(refused) })).rejects.toBe(refused);
  }, 60_000);

  it('splits the cores between workers: workers × onnxruntime threads never exceeds the cores', () => {
    expect([threadsPerWorker(1, 2), threadsPerWorker(2, 2), threadsPerWorker(3, 2)]).toEqual([2, 1, 1]);
    expect([threadsPerWorker(2, 8), threadsPerWorker(3, 8), threadsPerWorker(8, 8)]).toEqual([4, 2, 1]);
  });

  it('starts workers with malloc settings that keep freed memory, unless the user set their own', () => {
    expect(workerEnv({ PATH: '/bin' })).toEqual({ PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '1073741824', MALLOC_TRIM_THRESHOLD_: '4294967295' });
    expect(workerEnv({ MALLOC_TRIM_THRESHOLD_: '0' }).MALLOC_TRIM_THRESHOLD_).toBe('0');
  });

  it('runs a bundled worker (no tsx) with the malloc settings and its thread share', async () => {
    const bundle = await bundleWorker(STAND_IN);
    try {
      expect(bundle.execArgv).toEqual([]);
      expect(readFileSync(bundle.script, 'utf8')).not.toMatch(/import\.meta\.url|from "\.\.?\//);
      const items = ['a.png', 'env.png'].map((n) => ({ input: `/photos/${n}`, output: `/out/${n}` }));
      const progress = new BatchProgress(quiet(), items.length);
      const failures = await runPool(items, { workers: 1, settings: { diverse: 1, backend: 'cpu', threads: 2 }, progress, worker: bundle });
      expect(progress.counts).toEqual({ done: 1, skipped: 0, failed: 1 });
      expect(JSON.parse(failures[0].message)).toEqual({ mmap: '1073741824', trim: '4294967295', init: { settings: { diverse: 1, backend: 'cpu', threads: 2 } } });
    } finally {
      bundle.dispose();
    }
  }, 120_000);
});

describe('the bundled batch worker', () => {
  it('colorizes like the TypeScript one: finds the models and workflows from its sources, writes the PNG with its workflow', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disco-bundle-'));
    const photo = join(dir, 'gray.png');
    const px = Buffer.alloc(24 * 16).map((_, i) => (i * 7) % 256);
    await sharp(px, { raw: { width: 24, height: 16, channels: 1 } }).png().toFile(photo);
    const bundle = await bundleWorker();
    try {
      const items = [{ input: photo, output: join(dir, 'out', 'gray.png') }];
      const progress = new BatchProgress(quiet(), 1);
      // The default workflow (disco-auto) and model set, found from the bundled sources' own URLs.
      const failures = await runPool(items, { workers: 1, settings: { diverse: 1, backend: 'cpu', threads: 1 }, progress, worker: bundle });
      expect(failures).toEqual([]);
      const png = readFileSync(items[0].output);
      expect((await sharp(png).metadata()).width).toBe(24);
      expect(png.includes('disco/anchor-locator')).toBe(true); // the embedded workflow is disco-auto
    } finally {
      bundle.dispose();
    }
  }, 120_000);
});
