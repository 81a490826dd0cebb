/**
 * `disco colorize <image> [-o out.png]` and `disco colorize <image|folder|glob>... -o <dir>`: the
 * one-line path. Runs the default workflow (automatic DISCO with the shipped model set), or
 * --workflow, on one photo, or on many with all cores (see batch/). With --diverse N it runs N
 * anchor-colour variants per photo; the shared stages run once (the cache). With --reference ref.jpg
 * it runs workflows/reference-guided.json: the anchors take the reference photo's colours; the
 * reference's stages run once per process (the cache), so once for all photos of a batch worker.
 * A result never replaces a photo, and an existing result is kept unless --force (a batch skips it).
 */
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, extname, resolve } from 'node:path';
import { backendOption, commonOptions, intOption, memoryOption, parse } from '../args.ts';
import { exists, expandInputs, isDir, isFile, planBatch, type BatchItem } from '../batch/inputs.ts';
import { runPool, threadsPerWorker } from '../batch/pool.ts';
import { BatchProgress, shown } from '../batch/progress.ts';
import { bundleWorker, tsxWorker } from '../batch/worker-bundle.ts';
import type { ColorizeSettings } from '../colorizer.ts';
import { checkOutput, OutputRefused } from '../output-guard.ts';
import { ProgressBar } from '../progress.ts';
import { printable } from '../terminal-text.ts';
import { UsageError } from '../usage-error.ts';
import { variantPaths } from '../variant-paths.ts';

// The colorizer (the nodes, onnxruntime, sharp) is imported where it is used: a batch's parent
// starts building and forking its workers while it loads.

/**
 * Batch workers by default: one per core, each with one onnxruntime thread. Much of a photo's time
 * is in single-threaded stages (decoding, the TypeScript kernels, PNG encoding), so one process with
 * every core for onnxruntime leaves cores idle. `npm run bench` measures 1 and 2 workers side by
 * side (bench/README.md, "Batch"); `--jobs N` overrides.
 */
export function defaultWorkers(cores = availableParallelism()): number {
  return Math.max(1, cores);
}

export async function colorizeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...commonOptions,
    output: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    anchors: { type: 'string' },
    diverse: { type: 'string' },
    workflow: { type: 'string' },
    reference: { type: 'string' },
  }, [1, Infinity]);
  if (values.reference === '') throw new UsageError('--reference needs a colour photo file');
  const settings: ColorizeSettings = {
    workflow: values.workflow,
    ...(values.reference !== undefined ? { reference: resolve(values.reference) } : {}),
    anchors: intOption(values.anchors, 'anchors', 3, 14),
    diverse: intOption(values.diverse, 'diverse', 1, 10) ?? 1,
    backend: backendOption(values.backend),
    modelsDir: values['models-dir'],
    pixelLimit: intOption(values['max-pixels'], 'max-pixels', 1, 2 ** 31),
    memoryBudget: memoryOption(values['max-memory']),
  };
  const force = Boolean(values.force);
  const jobs = intOption(values.jobs, 'jobs', 1, 64);
  const [first] = positionals;
  const batch = positionals.length > 1 || isDir(first) || (/[*?[]/.test(first) && !exists(first)) || (values.output !== undefined && isDir(values.output));
  if (!batch) return colorizeOne(first, values.output, settings, force);
  if (!values.output) throw new UsageError('colorizing several photos (or a folder) needs -o <folder> for the results');
  return colorizeMany(positionals, values.output, settings, force, jobs);
}

async function colorizeOne(input: string, outputArg: string | undefined, settings: ColorizeSettings, force: boolean): Promise<number> {
  const output = resolve(outputArg ?? `${basename(input, extname(input))}-color.png`);
  const paths = variantPaths(output, settings.diverse);
  for (const path of paths) checkOutput(path, [input, ...(settings.reference ? [settings.reference] : [])], force); // before any work
  const [{ Colorizer }, { labeller }] = await Promise.all([import('../colorizer.ts'), import('../execute.ts')]);
  const colorizer = await Colorizer.open(settings, (line) => process.stderr.write(`${line}\n`));
  try {
    const graph = colorizer.graphFor(input);
    const bars: ProgressBar[] = [];
    const { width, height } = await colorizer.colorize(input, output, () => {
      bars.push(new ProgressBar(process.stderr, labeller(graph)));
      return bars[bars.length - 1].onEvent;
    }).finally(() => bars.forEach((b) => b.end()));
    for (const path of paths) process.stderr.write(`wrote ${printable(path)} (${width}x${height})\n`);
    return 0;
  } finally {
    colorizer.close();
  }
}

async function colorizeMany(args: string[], outDir: string, settings: ColorizeSettings, force: boolean, jobs: number | undefined): Promise<number> {
  if (isFile(outDir) || (!isDir(outDir) && /\.(png|jpe?g|webp|tiff?)$/i.test(outDir))) {
    throw new UsageError(`-o ${outDir}: with several photos (or a folder), -o names the folder for the results, not a file`);
  }
  const inputs = expandInputs(args);
  const items = planBatch(inputs, outDir);
  // The worker bundle builds, and the workers start, while this process loads the colorizer and
  // checks the workflow; they get photos once it is accepted (a bad workflow or option is refused
  // once, and nothing is written).
  const building = bundleWorker().catch(() => tsxWorker());
  const checked = import('../colorizer.ts').then((m) => m.loadTemplate(settings)).then(() => mkdir(resolve(outDir), { recursive: true }));
  checked.catch(() => {}); // awaited through the pool
  try {
    const progress = new BatchProgress(process.stderr, items.length);
    const failures: { input: string; message: string }[] = [];
    const toRun: BatchItem[] = [];
    for (const item of items) {
      const refusal = refusalOf(item, settings.diverse, force, settings.reference);
      if (!refusal) toRun.push(item);
      else if (refusal.reason === 'exists' && variantPaths(item.output, settings.diverse).every(exists)) progress.skipped(item.input, item.output);
      else {
        failures.push({ input: item.input, message: refusal.message });
        progress.failed(item.input, refusal.message);
      }
    }
    const workers = Math.min(jobs ?? defaultWorkers(), Math.max(1, toRun.length));
    const threads = threadsPerWorker(workers, availableParallelism());
    failures.push(...await runPool(toRun, { workers, settings: { ...settings, threads }, progress, worker: await building, ready: checked }));
    progress.end();
    for (const f of failures) process.stderr.write(`  failed: ${shown(f.input)}: ${printable(f.message)}\n`);
    return failures.length ? 1 : 0;
  } finally {
    (await building).dispose();
  }
}

/** Why an item's results may not be written (an input, or an existing file without --force), if so. */
function refusalOf(item: BatchItem, diverse: number, force: boolean, reference?: string): OutputRefused | undefined {
  try {
    for (const path of variantPaths(item.output, diverse)) checkOutput(path, [item.input, ...(reference ? [reference] : [])], force);
    return undefined;
  } catch (e) {
    if (e instanceof OutputRefused) return e;
    throw e;
  }
}
