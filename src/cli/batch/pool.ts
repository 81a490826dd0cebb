/**
 * Runs a batch on worker processes: each has its own backend and ONNX sessions (onnxruntime
 * threads = cores / workers) and takes the next photo when it finishes one. A photo that fails is
 * reported and the batch goes on; a worker that dies mid-photo fails that photo and is replaced.
 * Processes, not worker_threads: a native crash or an out-of-memory abort on one photo takes down
 * one worker, not the batch.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ColorizeSettings } from '../colorizer.ts';
import type { BatchItem } from './inputs.ts';
import type { BatchProgress } from './progress.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

export interface Failure {
  readonly input: string;
  readonly message: string;
}

export interface PoolOptions {
  readonly workers: number;
  readonly settings: ColorizeSettings;
  readonly progress: BatchProgress;
  /** The worker script (default: worker.ts; tests pass a stand-in). */
  readonly workerScript?: string;
}

/** Colorizes `items` (all to be run); resolves with the photos that failed. Rejects if no worker can start. */
export function runPool(items: readonly BatchItem[], opts: PoolOptions): Promise<Failure[]> {
  const failures: Failure[] = [];
  let next = 0;
  let settled = 0;
  let alive = 0;
  let respawns = 0;
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
      const child: ChildProcess = fork(opts.workerScript ?? WORKER, [JSON.stringify(init)], { execArgv: ['--import', TSX], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
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
        if (m.type === 'ready') return give();
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
    const n = Math.max(1, Math.min(opts.workers, items.length));
    if (!items.length) return resolve(failures);
    for (let i = 0; i < n; i++) start();
  });
}
