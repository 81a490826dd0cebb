/**
 * Runs a batch on worker processes: each has its own backend and ONNX sessions (onnxruntime
 * threads = cores / workers) and takes the next photo when it finishes one. A photo that fails is
 * reported and the batch goes on; a worker that dies mid-photo fails that photo and is replaced.
 * Processes, not worker_threads: a native crash or an out-of-memory abort on one photo takes down
 * one worker, not the batch.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ColorizeSettings } from '../colorizer.ts';
import type { BatchItem } from './inputs.ts';
import type { BatchProgress } from './progress.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';
import { tsxWorker, type WorkerScript } from './worker-bundle.ts';

export interface Failure {
  readonly input: string;
  readonly message: string;
}

/**
 * glibc malloc settings for a worker (set unless the user set them): blocks up to 1 GB come from the
 * heap instead of a fresh mmap each, and freed memory stays in the process for the next photo. A
 * photo's run allocates and frees the same large arrays (features, diffused colour, images: tens of
 * MB) photo after photo, and first touches of fresh pages are costly in VMs (page faults, zeroing,
 * the host reclaiming freed pages): on the 2-core build VM 16 MB arrays made and dropped 30 times
 * took 990 ms of CPU, 330 ms with these settings, and a disco-auto photo's system CPU fell from
 * ~35 to ~7 ms (bench/README.md, "Batch"). The cost: a worker keeps its peak memory until it exits.
 * Other C libraries ignore these variables.
 */
export function workerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_MMAP_THRESHOLD_: String(2 ** 30), MALLOC_TRIM_THRESHOLD_: String(2 ** 32 - 1), ...env };
}

/** onnxruntime intra-op threads per worker, so that workers × threads does not exceed the cores. */
export function threadsPerWorker(workers: number, cores: number): number {
  return Math.max(1, Math.floor(cores / Math.max(1, workers)));
}

export interface PoolOptions {
  readonly workers: number;
  readonly settings: ColorizeSettings;
  readonly progress: BatchProgress;
  /** Photos are given out only once this resolves; if it rejects, the batch stops with its error. */
  readonly ready?: Promise<unknown>;
  /** The worker to fork (default: worker.ts through tsx; `disco colorize` passes its bundle, tests a stand-in). */
  readonly worker?: Pick<WorkerScript, 'script' | 'execArgv'>;
}

/** Colorizes `items` (all to be run); resolves with the photos that failed. Rejects if no worker can start. */
export function runPool(items: readonly BatchItem[], opts: PoolOptions): Promise<Failure[]> {
  const failures: Failure[] = [];
  let next = 0;
  let settled = 0;
  let alive = 0;
  let respawns = 0;
  const gate = opts.ready ?? Promise.resolve();
  return new Promise((resolve, reject) => {
    let stopped = false;
    const children = new Set<ChildProcess>();
    const abort = (e: Error) => {
      if (stopped) return;
      stopped = true;
      for (const c of children) c.kill();
      reject(e);
    };
    const finishIfDone = () => {
      if (!stopped && settled === items.length && alive === 0) {
        stopped = true;
        resolve(failures);
      }
    };
    const fail = (id: number, message: string) => {
      failures.push({ input: items[id].input, message });
      opts.progress.failed(items[id].input, message);
      settled++;
    };
    const start = () => {
      const init: WorkerInit = { settings: opts.settings };
      const { script, execArgv } = opts.worker ?? tsxWorker();
      const child: ChildProcess = fork(script, [JSON.stringify(init)], { execArgv: [...execArgv], env: workerEnv(), stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      children.add(child);
      alive++;
      let current: number | undefined;
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
      const give = () => {
        if (next < items.length && !stopped) {
          current = next++;
          child.send({ type: 'job', id: current, input: items[current].input, output: items[current].output } satisfies ToWorker);
        } else {
          current = undefined;
          child.send({ type: 'stop' } satisfies ToWorker);
        }
      };
      child.on('message', (m: FromWorker) => {
        if (m.type === 'ready') return void gate.then(give, () => {});
        if (m.type === 'fatal') return abort(new Error(m.message));
        if (m.type === 'done') {
          opts.progress.done(items[m.id].input, items[m.id].output, m.ms);
          settled++;
        } else fail(m.id, m.message);
        give();
      });
      child.on('exit', (code, signal) => {
        alive--;
        children.delete(child);
        if (stopped) return;
        const why = stderr.trim().split('\n').pop() ?? '';
        const stoppedHow = `the worker stopped (${signal ?? `exit code ${code}`})`;
        if (current !== undefined) fail(current, `${stoppedHow} while colorizing it${why ? `: ${why}` : ''}`);
        current = undefined;
        if (next < items.length) {
          // Replace it while photos remain (bounded, so a worker that always dies cannot loop forever).
          if (respawns++ < items.length) start();
          else if (alive === 0) return abort(new Error(`${stoppedHow} again and again${why ? `: ${why}` : ''}`));
        }
        finishIfDone();
      });
      child.on('error', (e) => abort(new Error(`a batch worker could not start: ${e.message}`)));
    };
    gate.catch((e: unknown) => abort(e as Error));
    const n = Math.max(1, Math.min(opts.workers, items.length));
    if (!items.length) return void gate.then(() => resolve(failures), () => {});
    for (let i = 0; i < n; i++) start();
  });
}
