/**
 * SP-Pool on two threads in Node (issue 14: "split across cores where it pays"). On one core it
 * takes about 5 ms at disco-lite's 256² with 66 channels, most of it the 39M float32 multiply-adds
 * themselves. Here the main thread copies the inputs into a shared WebAssembly memory, band by
 * band; a worker_thread (sp-band-worker.mjs) runs the kernels on the last three quarters of the
 * bands, each as soon as it is copied in, while the main thread runs them on the first quarter.
 * About 4.8 -> 3.5 ms wall time with both cores free (bench/README.md, "Parameter-free stages"),
 * for 1.3 ms more CPU. The same kernels on the same bands; only the float64 neighbour
 * sums are added in another order (each thread's, then the two), so results stay within 1 float32
 * ulp of the one-thread ones.
 *
 * SP-Diffuse stays on one thread: its 16.8 MB output has to be copied out of the shared memory by
 * the main thread, and that copy ate the gain (3.6 -> 3.3-3.5 ms, and slower in a CLI run under load).
 *
 * Only where a second core is free: the CLI's one-photo runs (node-host.ts), not a batch worker,
 * which shares the cores with the others. Until the worker has started (tens of ms), for grids of
 * one band and for maps too large for the shared memory, the one-thread kernels run.
 */
import { Worker } from 'node:worker_threads';
import type { SpGrid } from '../../ops/superpixel-ops.ts';
import { instantiateModule } from './instantiate.ts';
import { SHARED_MAX_PAGES } from './shared-memory.ts';
import { copyBand, oneThreadKernels, PLANE_PAD, reserveFloat32, type SimdKernels, type SpExports } from './simd.ts';
import { WASM_BASE64 } from './sp-kernels-shared.wasm.ts';

/**
 * The exports the worker may call, by index; a call is its index and up to 11 int32 arguments. Index
 * WAIT (one past them) waits until the main thread has copied in that many of the job's bands.
 */
const EXPORTS = ['poolMassBand', 'poolBand'] as const;
const POOL_MASS = 0, POOL = 1, WAIT = EXPORTS.length;
const CALL_INTS = 12;
/** control: [0] job number, [1] last job done, [2] calls in the job, [3] bands copied in, then the calls. */
const JOB = 0, DONE = 1, CALLS = 2, COPIED = 3, CALLS_AT = 4;
/** Calls per job (three per band for SP-Pool): enough for maps 8192 pixels tall at cell 16. */
const MAX_CALLS = 768;
/** A worker that has not answered in this long has stopped: better an error than a hang. */
const WAIT_MS = 10_000;
/**
 * The main thread's share of the bands: it also copies all of x in (17 MB at 256², 66 channels),
 * so the worker takes most of them (measured best at 256²).
 */
const MAIN_SHARE = 0.25;

export interface KernelThreads {
  readonly kernels: SimdKernels;
  /** Resolves when the worker runs (true) or could not start (false); the kernels use one thread until then. */
  readonly started: Promise<boolean>;
  /** The jobs handed to the worker so far. */
  jobs(): number;
  /** Ends the worker. */
  close(): Promise<void>;
}

/** Starts the worker; null where the shared-memory kernels cannot load. */
export function startKernelThreads(): KernelThreads | null {
  const one = oneThreadKernels();
  const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true });
  const loaded = one && instantiateModule<SpExports>(WASM_BASE64, memory);
  if (!one || !loaded) return null;
  const { wasm, module } = loaded;
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (CALLS_AT + MAX_CALLS * CALL_INTS)));
  const worker = new Worker(new URL('./sp-band-worker.mjs', import.meta.url), {
    workerData: { module, memory, control: ctrl.buffer, exportNames: EXPORTS, callInts: CALL_INTS, layout: { JOB, DONE, CALLS, COPIED, CALLS_AT } },
  });
  worker.unref();
  let ready = false, failed: Error | undefined;
  const started = new Promise<boolean>((resolve) => {
    worker.once('message', () => resolve(ready = true));
    worker.once('error', () => resolve(false));
  });
  worker.once('error', (e) => { failed = e; ready = false; });
  worker.once('exit', () => { ready = false; });

  let job = 0;
  /** Hands `calls` to the worker. */
  const start = (calls: number[][]) => {
    calls.forEach((call, i) => ctrl.set(call, CALLS_AT + i * CALL_INTS));
    ctrl[CALLS] = calls.length;
    ctrl[COPIED] = 0;
    Atomics.store(ctrl, JOB, ++job);
    Atomics.notify(ctrl, JOB);
  };
  /** Tells the worker that one more of its bands is copied in. */
  const copied = () => {
    Atomics.add(ctrl, COPIED, 1);
    Atomics.notify(ctrl, COPIED);
  };
  /** Waits for the worker to finish the job handed to it. */
  const finish = () => {
    const deadline = Date.now() + WAIT_MS;
    for (let done = Atomics.load(ctrl, DONE); done !== job; done = Atomics.load(ctrl, DONE)) {
      if (Date.now() > deadline) throw new Error('superpixel kernel thread stopped answering');
      Atomics.wait(ctrl, DONE, done, 100);
    }
  };
  /** Whether the worker can take the job: it runs, the maps fit in `bytes`, the bands in one job. */
  const usable = (g: SpGrid, bytes: number) => ready && !failed && g.h >= 2 && g.cell % 4 === 0
    && bytes <= SHARED_MAX_PAGES * 65536 && 3 * g.h <= MAX_CALLS;
  /** The first band the worker takes. */
  const split = (h: number) => Math.min(h - 1, Math.max(1, Math.round(h * MAIN_SHARE)));

  const kernels: SimdKernels = {
    diffuse: (tokens, C, assoc, g) => one.diffuse(tokens, C, assoc, g),
    pool(x, C, assoc, g) {
      const { H, W, h, w, cell } = g;
      const hw = H * W, band = cell * W, ps = band + PLANE_PAD, n = h * w, s = split(h);
      // float32 indices: per band its association planes and x's, ps apart; then bytes: the main
      // thread's sums and the worker's (float64)
      const block = (9 + C) * ps, at = (cy: number) => cy * block;
      const mainSumsAt = 4 * h * block, workerSumsAt = mainSumsAt + 8 * (C + 1) * n;
      if (!usable(g, workerSumsAt + 8 * (C + 1) * n)) return one.pool(x, C, assoc, g);
      const f32 = reserveFloat32(memory, workerSumsAt + 8 * (C + 1) * n);
      const mainSums = new Float64Array(memory.buffer, mainSumsAt, (C + 1) * n);
      const workerSums = new Float64Array(memory.buffer, workerSumsAt, (C + 1) * n);
      const copyIn = (cy: number) => {
        copyBand(f32, at(cy), assoc, 9, hw, cy, band, ps);
        copyBand(f32, at(cy) + 9 * ps, x, C, hw, cy, band, ps);
      };
      const calls = (sumsAt: number, cy: number) => [
        [POOL_MASS, 4 * at(cy), 4 * ps, sumsAt, W, cell, cy, h],
        [POOL, 4 * at(cy), 4 * ps, 4 * (at(cy) + 9 * ps), 4 * ps, sumsAt, 1, C + 1, W, cell, cy, h],
      ];
      // The worker starts on its first band as soon as it is copied in, while the rest are.
      workerSums.fill(0);
      const workerCalls: number[][] = [];
      for (let cy = s; cy < h; cy++) workerCalls.push([WAIT, cy - s + 1], ...calls(workerSumsAt, cy));
      start(workerCalls);
      for (let cy = s; cy < h; cy++) {
        copyIn(cy);
        copied();
      }
      mainSums.fill(0);
      for (let cy = 0; cy < s; cy++) {
        copyIn(cy);
        const [mass, pool] = calls(mainSumsAt, cy);
        wasm.poolMassBand(...(mass.slice(1) as Parameters<SpExports['poolMassBand']>));
        wasm.poolBand(...(pool.slice(1) as Parameters<SpExports['poolBand']>));
      }
      const sums = mainSums.slice();
      finish();
      for (let i = 0; i < sums.length; i++) sums[i] += workerSums[i];
      return sums;
    },

    sizesBand: (assoc, g, cy) => one.sizesBand(assoc, g, cy),
  };

  return {
    kernels,
    started,
    jobs: () => job,
    async close() {
      await worker.terminate();
    },
  };
}
