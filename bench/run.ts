/**
 * `npm run bench` (= `disco bench`): every configuration in its own child process, one after the other,
 * then a table as JSON and Markdown under bench/results/ (not committed), printed as well.
 * See bench/README.md for what each column means.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { workerEnv } from '../src/cli/batch/pool.ts';
import { defaultWorkers } from '../src/cli/commands/colorize.ts';
import { loadNativeAddon } from '../src/runtime/backends/cpu/native/native-kernels.ts';
import { runBatchBench } from './batch.ts';
import type { BrowserJob, BrowserResult, OursJob, OursResult, PipelineResult, SkippedResult, TorchJob, Working } from './jobs.ts';
import { renderMarkdown, type BenchReport, type Case, type Machine } from './report.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CACHE = join(ROOT, '.cache', 'bench');
const PYTHON = process.env.DISCO_PYTHON ?? '/usr/bin/python3';
export const DEFAULT_SET = 'disco-lite';
export const OFFICIAL_SET = 'disco-random';

export interface BenchOptions {
  /** Timed runs per configuration at 256-pixel working size (after the warm-ups). */
  readonly runs: number;
  /**
   * Untimed runs before them at 256-pixel working size: the first loads the models, the next let V8
   * compile the TypeScript kernels with its optimising tier (full-size configurations get one).
   */
  readonly warmups: number;
  /** Timed runs when the networks run at the photo's full size. */
  readonly fullSizeRuns: number;
  /** Also run the networks at the 1024×768 photo's full size (1024×1024, padded). */
  readonly fullSize: boolean;
  /** Also run the official-size set with its networks at full size (many minutes per run, > 8 GB). */
  readonly officialFullSize: boolean;
  /** Also run the WASM path with the official-size networks at full size (needs officialFullSize). */
  readonly wasmFullSize: boolean;
  /** Take a configuration's result from bench/results/runs/ when a file for it is there (resume a run). */
  readonly reuse: boolean;
  /** Only the 256×256 photo (for a quick look). */
  readonly quick: boolean;
  /** Which parts: the pipeline engines cpu, torch, wasm, webgpu, and the browser and batch sections (default all). */
  readonly engines: readonly ('cpu' | 'torch' | 'wasm' | 'webgpu' | 'browser' | 'batch')[];
  readonly outDir: string;
}

const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);

function runChild(cmd: string, args: string[], out: string, env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) reject(new Error(`${args[args.length - 2] ?? cmd} exited with code ${code}${signal ? ` (${signal})` : ''}`));
      else resolve(JSON.parse(readFileSync(out, 'utf8')));
    });
  });
}

function python(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (e) => reject(new Error(`${PYTHON} did not start (${e.message}): install python3-torch python3-onnx`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${PYTHON} ${args[0]} failed with code ${code}`))));
  });
}

/** The test photos: examples/chelsea.png resized to 256×256 and to 1024×768. */
async function photos(): Promise<{ small: string; large: string }> {
  mkdirSync(CACHE, { recursive: true });
  const src = join(ROOT, 'examples', 'chelsea.png');
  const small = join(CACHE, 'chelsea-256x256.png');
  const large = join(CACHE, 'chelsea-1024x768.png');
  if (!existsSync(small)) await sharp(src).resize(256, 256, { fit: 'fill' }).png().toFile(small);
  if (!existsSync(large)) await sharp(src).resize(1024, 768, { fit: 'fill' }).png().toFile(large);
  return { small, large };
}

/** A randomly initialised official-format checkpoint, exported with the project's importer (about 173 MB). */
async function officialRandomSet(): Promise<{ modelsDir: string; checkpoint: string }> {
  const modelsDir = join(CACHE, 'models');
  const checkpoint = join(CACHE, 'random-official.pth.tar');
  if (!existsSync(checkpoint)) {
    log('making a random official-size checkpoint (training/make_random_checkpoint.py)');
    await python([join(ROOT, 'training', 'make_random_checkpoint.py'), checkpoint]);
  }
  if (!existsSync(join(modelsDir, OFFICIAL_SET, 'manifest.json'))) {
    log(`exporting it as model set "${OFFICIAL_SET}" (training/import_checkpoint.py)`);
    await python([join(ROOT, 'training', 'import_checkpoint.py'), checkpoint, '--name', OFFICIAL_SET, '--out', modelsDir,
      '--description', 'DISCO official architecture, random weights (benchmark only)', '--license', 'none: random weights']);
  }
  return { modelsDir, checkpoint };
}

function machine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch { /* not Linux */ }
  const cliSuperpixelKernels = loadNativeAddon() ? 'native (src/runtime/backends/cpu/native)' : 'WebAssembly (the native ones are not built: npm run build:native)';
  return { cpu, cores: availableParallelism(), memoryBytes: totalmem(), node: process.version, date: new Date().toISOString(), cliSuperpixelKernels };
}

interface SetUnderTest {
  name: string;
  note: string;
  modelsDir: string;
  torch: Pick<TorchJob, 'checkpoint' | 'config'>;
}

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const { small, large } = await photos();
  const notes: string[] = [];
  const sets: SetUnderTest[] = [];
  const modelsDir = join(ROOT, 'models');
  if (existsSync(join(modelsDir, DEFAULT_SET, 'manifest.json'))) {
    const ckpt = join(ROOT, '.cache', 'disco-lite', 'checkpoint.pth.tar');
    sets.push({ name: DEFAULT_SET, note: 'the default set', modelsDir, torch: existsSync(ckpt) ? { checkpoint: ckpt } : { config: 'lite' } });
  } else {
    notes.push(`the default model set models/${DEFAULT_SET} is not installed, so its rows are missing`);
  }
  const liteTorch = sets[0]?.name === DEFAULT_SET ? sets[0].torch : { config: 'lite' as const };
  const pipeline = opts.engines.some((e) => e !== 'browser' && e !== 'batch');
  if (!pipeline) sets.length = 0; // only the browser and/or batch sections
  else {
    const official = await officialRandomSet();
    sets.push({ name: OFFICIAL_SET, note: 'official architecture, random weights', modelsDir: official.modelsDir, torch: { checkpoint: official.checkpoint } });
  }

  const inputs: { photo: string; label: string; working: Working; networksAt: string; runs: number; warmups: number }[] = [
    { photo: small, label: '256×256', working: { size: 256, keepAspect: false }, networksAt: '256×256', runs: opts.runs, warmups: opts.warmups },
  ];
  if (!opts.quick) {
    inputs.push({ photo: large, label: '1024×768', working: { size: 256, keepAspect: false }, networksAt: '256×256', runs: opts.runs, warmups: opts.warmups });
    if (opts.fullSize) {
      inputs.push({ photo: large, label: '1024×768', working: { size: 1024, keepAspect: true }, networksAt: '1024×1024 (the photo, padded)', runs: opts.fullSizeRuns, warmups: 1 });
    }
  }

  const outDir = join(opts.outDir, 'runs');
  mkdirSync(outDir, { recursive: true });
  let webgpuSkip: SkippedResult | undefined;
  const cases: Case[] = [];
  for (const set of sets) {
    for (const input of inputs) {
      const base = { modelsDir: set.modelsDir, set: set.name, photo: input.photo, working: input.working, runs: input.runs, warmups: input.warmups };
      const tag = `${set.name}-${input.label}-${input.working.size}`;
      const c: { -readonly [K in keyof Case]: Case[K] } = { set: set.name, setNote: set.note, photo: input.label, networksAt: input.networksAt, runs: input.runs, warmups: input.warmups };
      for (const engine of opts.engines) {
        if (engine === 'browser' || engine === 'batch') continue;
        if (engine === 'webgpu' && webgpuSkip) {
          c.webgpu = webgpuSkip;
          continue;
        }
        if (input.working.size > 256 && set.name === OFFICIAL_SET && !opts.officialFullSize) {
          const why = 'the official-size networks at full size are left out by default (minutes per run, and the transformers\' attention over 4096 tokens needs several GB); add --official-full-size';
          c[engine] = { skipped: why };
          continue;
        }
        if (engine === 'wasm' && input.working.size > 256 && !opts.wasmFullSize) {
          c.wasm = { skipped: 'WASM with the networks at full size is left out by default (slow, and its 4 GB heap is too small for attention over 4096 tokens); add --wasm-full-size' };
          continue;
        }
        const out = join(outDir, `${tag}-${engine}.json`);
        if (opts.reuse && existsSync(out)) {
          log(`${set.name}, ${input.label} photo, networks at ${input.networksAt}: ${engine}: reusing ${out}`);
          c[engine] = JSON.parse(readFileSync(out, 'utf8'));
          if (engine === 'webgpu' && 'skipped' in c.webgpu!) webgpuSkip = c.webgpu as SkippedResult;
          continue;
        }
        log(`${set.name}, ${input.label} photo, networks at ${input.networksAt}: ${engine} (${input.runs} runs)`);
        // A configuration that fails (e.g. out of memory) is reported as such; the others still run.
        const failed = (e: unknown): SkippedResult => ({ skipped: `failed: ${(e as Error).message}` });
        if (engine === 'torch') {
          const job: TorchJob = { ...base, ...set.torch, out };
          c.torch = await (runChild(PYTHON, [join(ROOT, 'bench', 'torch_reference.py'), JSON.stringify(job)], out) as Promise<PipelineResult>).catch(failed);
        } else {
          const job: OursJob = { ...base, runtime: engine, out };
          // The CLI rows' timed runs are a warm process running photo after photo: in the CLI that is
          // a batch worker, so they get its malloc settings (bench/README.md, "What is measured").
          const env = engine === 'cpu' ? workerEnv() : process.env;
          const r = await (runChild(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'ours.ts'), JSON.stringify(job)], out, env) as Promise<OursResult | SkippedResult>).catch(failed);
          c[engine] = r;
          if (engine === 'webgpu' && 'skipped' in r) webgpuSkip = r;
        }
      }
      cases.push(c);
    }
  }
  let browser: BrowserResult | SkippedResult | undefined;
  if (opts.engines.includes('browser')) {
    const out = join(outDir, 'browser.json');
    if (opts.reuse && existsSync(out)) browser = JSON.parse(readFileSync(out, 'utf8'));
    else {
      log(`browser: the editor in Chromium on the CPU/WASM path, 1024×768 photo, first result in ${BROWSER_VISITS} fresh browsers, ${BROWSER_EDITS} anchor recolours`);
      const job: BrowserJob = { photo: large, edits: BROWSER_EDITS, visits: BROWSER_VISITS, out };
      browser = await (runChild(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'browser.ts'), JSON.stringify(job)], out) as Promise<BrowserResult | SkippedResult>)
        .catch((e: unknown): SkippedResult => ({ skipped: `failed: ${(e as Error).message}` }));
    }
  }
  let batch;
  if (opts.engines.includes('batch')) {
    const out = join(outDir, 'batch.json');
    if (opts.reuse && existsSync(out)) batch = JSON.parse(readFileSync(out, 'utf8'));
    else {
      // --quick: 8 photos and the default worker count only; else all photos, also with one worker.
      const workers = defaultWorkers();
      batch = await runBatchBench({
        root: ROOT, python: PYTHON, limit: opts.quick ? 8 : undefined, log,
        workerCounts: opts.quick || workers === 1 ? [workers] : [workers, 1], torch: liteTorch,
      });
      writeFileSync(out, JSON.stringify(batch));
    }
  }
  return { machine: machine(), cases, notes, browser, batch };
}

/** Anchor recolours timed in the browser (the issue asks for the median of at least 5). */
const BROWSER_EDITS = 5;
/** First results timed, each in a fresh browser: one is too noisy to hold against a target (2.98-3.51 s in three runs). */
const BROWSER_VISITS = 3;

/** Runs the benchmark, writes results/<date>.{json,md} and results/latest.{json,md}, prints the Markdown. */
export async function benchMain(opts: BenchOptions): Promise<void> {
  const report = await runBench(opts);
  const md = renderMarkdown(report, DEFAULT_SET, OFFICIAL_SET);
  const stamp = report.machine.date.replace(/[:.]/g, '-');
  for (const name of [stamp, 'latest']) {
    writeFileSync(join(opts.outDir, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
    writeFileSync(join(opts.outDir, `${name}.md`), md);
  }
  process.stdout.write(md);
  log(`wrote ${join(opts.outDir, `${stamp}.json`)} and .md`);
}

export const RESULTS_DIR = join(ROOT, 'bench', 'results');
