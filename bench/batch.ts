/**
 * Batch throughput for `npm run bench`: `disco colorize <folder> -o <dir>` over the held-out photos
 * (.cache/disco-data/eval, built by training/data/build_dataset.py), beside the PyTorch reference
 * pipeline (bench/torch_reference.py in batch mode) over the same photos. Both are timed as a user
 * meets them: from starting the command to its exit, so start-up and model loading count.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BatchEngineResult, BatchResult, SkippedResult } from './jobs.ts';

export interface BatchBenchOptions {
  readonly root: string;
  readonly python: string;
  /** Photos to use (the first N of the set, by name); undefined: all. */
  readonly limit?: number;
  /** Worker counts to measure for ours (the first is the default, shown in the summary). */
  readonly workerCounts: readonly number[];
  /** Checkpoint (or random lite widths) for the PyTorch reference, as in the pipeline rows. */
  readonly torch: { checkpoint?: string; config?: 'lite' | 'official' };
  readonly log: (msg: string) => void;
}

const PHOTO = /\.(png|jpe?g|webp)$/i;

/** The held-out set, built on first use; undefined (with why) if it cannot be built. */
async function evalPhotos(o: BatchBenchOptions): Promise<{ dir: string; note: string } | SkippedResult> {
  const dir = join(o.root, '.cache', 'disco-data', 'eval');
  if (!existsSync(dir) || !readdirSync(dir).some((f) => PHOTO.test(f))) {
    o.log('building the held-out photo set (training/data/build_dataset.py --only eval)');
    const { code } = await exec(o.python, [join(o.root, 'training', 'data', 'build_dataset.py'), '--only', 'eval'], o.root).catch(() => ({ code: -1 }));
    if (code !== 0 || !existsSync(dir)) {
      return { skipped: 'the held-out photos (.cache/disco-data/eval) could not be built: training/data/build_dataset.py needs apt-get download and python3-pil' };
    }
  }
  return { dir, note: 'the held-out photos (.cache/disco-data/eval: opencv-doc, skimage, palapeli; short side 256)' };
}

/** Runs a command; resolves with its exit code and the end of its stderr (for the error message). */
function exec(cmd: string, args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

/** Wall time of a command, ms; rejects (with its last stderr line) if it exits non-zero. */
async function timed(cmd: string, args: string[], cwd: string): Promise<number> {
  const t0 = performance.now();
  const { code, stderr } = await exec(cmd, args, cwd);
  if (code !== 0) throw new Error(`${args.slice(0, 2).join(' ')} exited with code ${code}: ${stderr.trim().split('\n').pop() ?? ''}`);
  return performance.now() - t0;
}

export async function runBatchBench(o: BatchBenchOptions): Promise<BatchResult | SkippedResult> {
  const set = await evalPhotos(o);
  if ('skipped' in set) return set;
  const all = readdirSync(set.dir).filter((f) => PHOTO.test(f)).sort();
  const names = all.slice(0, o.limit ?? all.length);
  // A folder of links to the chosen photos, so both sides get exactly the same list.
  const work = mkdtempSync(join(tmpdir(), 'disco-bench-batch-'));
  const inDir = join(work, 'photos');
  mkdirSync(inDir);
  for (const n of names) symlinkSync(join(set.dir, n), join(inDir, n));
  const failed = (e: unknown): SkippedResult => ({ skipped: `failed: ${(e as Error).message}` });
  try {
    const ours: BatchEngineResult[] = [];
    for (const workers of o.workerCounts) {
      o.log(`batch: disco colorize, ${names.length} photos, ${workers} worker${workers > 1 ? 's' : ''}`);
      const out = join(work, `ours-${workers}`);
      const ms = await timed(process.execPath, [join(o.root, 'bin', 'disco.mjs'), 'colorize', inDir, '-o', out, '--jobs', String(workers)], o.root)
        .catch((e: unknown) => failed(e));
      if (typeof ms !== 'number') return ms;
      const written = readdirSync(out).filter((f) => f.endsWith('.png')).length;
      if (written !== names.length) return { skipped: `failed: disco colorize wrote ${written} of ${names.length} results` };
      ours.push({ engine: `disco colorize --jobs ${workers}`, workers, wallMs: ms, photosPerS: names.length / (ms / 1000) });
    }
    o.log(`batch: PyTorch reference, ${names.length} photos`);
    const jobOut = join(work, 'torch.json');
    const job = { ...o.torch, photos: names.map((n) => join(inDir, n)), outDir: join(work, 'torch'), working: { size: 256, keepAspect: false }, out: jobOut };
    const torchMs = await timed(o.python, [join(o.root, 'bench', 'torch_reference.py'), JSON.stringify(job)], o.root).catch((e: unknown) => failed(e));
    const torch: BatchEngineResult | SkippedResult = typeof torchMs === 'number'
      ? (() => {
        const r = JSON.parse(readFileSync(jobOut, 'utf8')) as { engine: string; perPhotoMs: number[] };
        return { engine: r.engine, workers: 1, wallMs: torchMs, photosPerS: names.length / (torchMs / 1000), perPhotoMs: r.perPhotoMs };
      })()
      : torchMs;
    return { photos: names.length, set: set.note, ours, torch };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
