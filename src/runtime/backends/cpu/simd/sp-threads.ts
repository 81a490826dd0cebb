/**
 * SP-Pool and SP-Diffuse on two threads in Node (issue 14: "split across cores where it pays"). On
 * one core each takes about 4 ms at disco-lite's 256² with 64 channels, most of it the 38M float32
 * multiply-adds themselves. A worker_thread (sp-band-worker.mjs) runs the same kernels on the last
 * bands (rows of superpixel cells) while the main thread runs them on the first ones, through a
 * shared WebAssembly memory that is reused from call to call (fresh memory is slow to touch).
 * The worker is woken before the inputs are copied in and spins briefly while it waits for them:
 * waking a sleeping thread takes a fraction of a millisecond on these VMs.
 * The maps go into it as whole planes, the rows of several bands in one copy: copied band by band,
 * in 16 KB pieces, the same bytes took twice as long.
 *
 * - SP-Pool: the main thread copies in the worker's bands, two at a time, and the worker pools each
 *   pair as soon as it is in; then the main thread pools its own bands (about a third, since it also
 *   copies the worker's in). Only the float64 neighbour sums are added in another order (each
 *   thread's, then the two), so results stay within 1 float32 ulp of the one-thread ones.
 * - SP-Diffuse: the output (16.8 MB) must be a plain ArrayBuffer (onnxruntime-node refuses shared
 *   ones as the refiner's input), and only the main thread can write one. The threads claim bands
 *   as they go, the worker from the last one down, into the shared memory, the main thread from the
 *   first one up, as one thread does (diffuseBandOut); the main thread copies the worker's bands out
 *   as they are done. The worker has more of them (about three quarters when both run freely); one
 *   that wakes late, or loses its core, just gets fewer, and its last band is diffused on the main
 *   thread too if it is not done in a band's time. Each value comes from the same kernel with the
 *   same arithmetic: the same bits, however the bands are shared. The output comes from the array
 *   pool, as one thread's does.
 * The kernels alone at 256² with 64 channels (median of 80 calls, measured with the process at
 * real-time priority on the shared 2-core machine): SP-Diffuse 4.2-4.6 -> 2.9-3.1 ms on two
 * threads; SP-Pool 5.0 -> 3.6 ms, bounded by copying x in and by both cores sharing the memory
 * bandwidth (the same as with 16 KB copies). Where no second core is free (a loaded machine) the
 * two-thread SP-Diffuse is about 0.5 ms slower than one thread.
 *
 * Only where a second core is free and the native kernels (../native/) are not built: the CLI's
 * one-photo runs (node-host.ts), not a batch worker, which shares the cores with the others. Until the worker has started (tens of ms), for grids of
 * one band and for maps too large for the shared memory, the one-thread kernels run.
 */
import { Worker } from 'node:worker_threads';
import { arrayPool } from '../../../values/array-pool.ts';
import type { SpGrid } from '../../ops/superpixel-ops.ts';
import { instantiateModule } from './instantiate.ts';
import { SHARED_MAX_PAGES } from './shared-memory.ts';
import { CHANNEL_GROUP, copyBand, diffuseBandOut, poolBandFrom, oneThreadKernels, PLANE_PAD, reserveFloat32, type SimdKernels, type SpExports } from './simd.ts';
import { WASM_BASE64 } from './sp-kernels-shared.wasm.ts';

/**
 * The exports the worker may call, by index; a call is its index and up to 11 int32 arguments. Two
 * more indices: WAIT n (one past the exports) waits until the main thread has copied in n chunks of
 * the worker's bands; CLAIM n says that the next n calls are one per band, 0..n-1, for whichever
 * thread claims the band first: the worker claims them from the last one down, the main thread from
 * the first one up, each through the band's state in `control`.
 */
const EXPORTS = ['poolMassBand', 'poolBand', 'diffuseBand'] as const;
const POOL_MASS = 0, POOL = 1, DIFFUSE = 2, WAIT = EXPORTS.length, CLAIM = WAIT + 1;
const CALL_INTS = 12;
/** Calls per job (up to three per band, and two): enough for maps 8192 pixels tall at cell 16. */
const MAX_CALLS = 1536;
/**
 * control: [0] job number, [1] last job done, [2] calls in the job, [3] chunks copied in by the
 * main thread, then the calls, then the bands' states (FREE, MAIN, WORKER, WORKER_DONE).
 */
const JOB = 0, DONE = 1, CALLS = 2, COPIED = 3, CALLS_AT = 4, STATES_AT = CALLS_AT + MAX_CALLS * CALL_INTS;
const FREE = 0, MAIN = 1, WORKER = 2, WORKER_DONE = 3;
/** A worker that has not answered in this long has stopped: better an error than a hang. */
const WAIT_MS = 10_000;
/** How long SP-Diffuse waits for a band the worker has under way before diffusing it on the main thread too (about a band's time at 256²). */
const BAND_WAIT_MS = 0.3;
/**
 * The main thread's share of SP-Pool's bands: it also copies the worker's in, so the worker takes
 * most of them (0.25 to 0.375 measured alike at 256²).
 */
const POOL_MAIN_SHARE = 0.31;
/** SP-Pool's bands for the worker are copied in this many at a time (the first soon in, few copies). */
const POOL_CHUNK = 2;

/**
 * Copies the rows of bands b0..b1-1 of the `planes` planes of `src` (H x W each) to whole planes
 * in `f32`, the first at float32 index `at`, `ps` apart.
 */
function copyRows(f32: Float32Array, at: number, ps: number, src: Float32Array, planes: number, g: SpGrid, b0: number, b1: number): void {
  const band = g.cell * g.W;
  copyBand(f32, at + b0 * band, src, planes, g.H * g.W, b0, band, ps, b1 - b0);
}

export interface KernelThreads {
  readonly kernels: SimdKernels;
  /** Resolves when the worker runs (true) or could not start (false); the kernels use one thread until then. */
  readonly started: Promise<boolean>;
  /** The jobs handed to the worker so far. */
  jobs(): number;
  /** Ends the worker. */
  close(): Promise<void>;
}

/**
 * Starts the worker; null where the shared-memory kernels cannot load. `diffuseMainBands` (for
 * tests): the main thread diffuses exactly this many bands (the first ones), the worker the others.
 */
export function startKernelThreads({ diffuseMainBands }: { diffuseMainBands?: number } = {}): KernelThreads | null {
  const one = oneThreadKernels();
  const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true });
  const loaded = one && instantiateModule<SpExports>(WASM_BASE64, memory);
  if (!one || !loaded) return null;
  const { wasm, module } = loaded;
  const ctrl = new Int32Array(new SharedArrayBuffer(4 * (STATES_AT + MAX_CALLS)));
  const worker = new Worker(new URL('./sp-band-worker.mjs', import.meta.url), {
    workerData: { module, memory, control: ctrl.buffer, exportNames: EXPORTS, callInts: CALL_INTS, layout: { JOB, DONE, CALLS, COPIED, CALLS_AT, STATES_AT, FREE, WORKER, WORKER_DONE } },
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
  /** Hands `calls` to the worker (which has finished the job before: see idle). */
  const start = (calls: number[][]) => {
    calls.forEach((call, i) => ctrl.set(call, CALLS_AT + i * CALL_INTS));
    ctrl[CALLS] = calls.length;
    ctrl[COPIED] = 0;
    Atomics.store(ctrl, JOB, ++job);
    Atomics.notify(ctrl, JOB);
  };
  /** Tells the worker that one more chunk of its bands is copied in. */
  const copied = () => {
    Atomics.add(ctrl, COPIED, 1);
    Atomics.notify(ctrl, COPIED);
  };
  /** Waits until control slot `at` holds at least `value` (a worker silent for WAIT_MS has stopped). */
  const waitFor = (at: number, value: number) => {
    const deadline = Date.now() + WAIT_MS;
    for (let now = Atomics.load(ctrl, at); now < value; now = Atomics.load(ctrl, at)) {
      if (Date.now() > deadline) throw new Error('superpixel kernel thread stopped answering');
      Atomics.wait(ctrl, at, now, 100);
    }
  };
  /**
   * Waits for the worker to finish its last job: before the memory or `control` are written for
   * the next one. SP-Diffuse returns without waiting (its output is the main thread's own array).
   */
  const idle = () => waitFor(DONE, job);
  /** Whether the worker can take the job: it runs, the maps fit in `bytes`, the bands in one job. */
  const usable = (g: SpGrid, bytes: number) => ready && !failed && g.h >= 2 && g.cell % 4 === 0
    && bytes <= SHARED_MAX_PAGES * 65536 && 3 * g.h <= MAX_CALLS;
  /** The first band the worker takes when the main thread takes `share` of the h bands. */
  const split = (h: number, share: number) => Math.min(h - 1, Math.max(1, Math.round(h * share)));

  const kernels: SimdKernels = {
    diffuse(tokens, C, assoc, g) {
      const { H, W, h, cell } = g, hw = H * W, band = cell * W, ps = hw + PLANE_PAD;
      // float32 indices: the 9 association planes and the C output planes of whole maps, ps apart;
      // the main thread's scratch planes; the tokens
      const planesAt = 9 * ps, scratchAt = planesAt + C * ps, tokAt = scratchAt + CHANNEL_GROUP * (band + PLANE_PAD);
      if (!usable(g, 4 * (tokAt + tokens.length))) return one.diffuse(tokens, C, assoc, g);
      idle();
      const f32 = reserveFloat32(memory, 4 * (tokAt + tokens.length));
      // Each band is claimed by one thread: the worker's from the last one down, the main
      // thread's from the first one up (or the first `fixed`). The worker is woken first, so that
      // it wakes while the maps are copied in.
      const fixed = Math.min(h, diffuseMainBands ?? 0);
      ctrl.fill(MAIN, STATES_AT, STATES_AT + fixed);
      ctrl.fill(FREE, STATES_AT + fixed, STATES_AT + h);
      const calls = [[WAIT, 1], [CLAIM, h]];
      for (let cy = 0; cy < h; cy++) calls.push([DIFFUSE, 4 * cy * band, 4 * ps, 4 * tokAt, 4 * (planesAt + cy * band), 4 * ps, 0, C, W, cell, cy, h]);
      start(calls);
      copyRows(f32, 0, ps, assoc, 9, g, 0, h);
      f32.set(tokens, tokAt);
      copied();
      const out = arrayPool.take(C * hw); // every element is written below
      let mine = 0, copiedFrom = h; // the main thread's bands are 0..mine-1; the worker's from copiedFrom on are copied out
      /** Whether band `mine` is the main thread's: one of the fixed ones, else if the worker has not claimed it. */
      const claim = () => mine < fixed || (diffuseMainBands === undefined && mine < h && Atomics.compareExchange(ctrl, STATES_AT + mine, FREE, MAIN) === FREE);
      /** Copies out the worker's bands that are done, next to those already copied. */
      const copyDone = () => {
        let from = copiedFrom;
        while (from > mine && Atomics.load(ctrl, STATES_AT + from - 1) === WORKER_DONE) from--;
        for (let c = 0, at = planesAt; c < C && from < copiedFrom; c++, at += ps) out.set(f32.subarray(at + from * band, at + copiedFrom * band), c * hw + from * band);
        copiedFrom = from;
      };
      const diffuseHere = (cy: number) => diffuseBandOut(out, C, g, cy, wasm, f32, { assoc: 4 * cy * band, aStride: 4 * ps, tok: 4 * tokAt, scratchAt });
      for (; claim(); mine++) {
        diffuseHere(mine);
        copyDone();
      }
      // Bands mine..copiedFrom-1 are the worker's, which does them one at a time from the last
      // down (once the main thread found band `mine` claimed, only that one can still be under
      // way). Give the next one a band's time, then, for a worker that lost its core, diffuse it
      // here too: the same bits, and the worker's copy goes unused.
      while (copiedFrom > mine) {
        const next = copiedFrom - 1;
        if (diffuseMainBands === undefined) Atomics.wait(ctrl, STATES_AT + next, WORKER, BAND_WAIT_MS);
        else waitFor(STATES_AT + next, WORKER_DONE);
        copyDone();
        if (copiedFrom > next) {
          copiedFrom = next;
          diffuseHere(next);
        }
      }
      return out;
    },

    pool(x, C, assoc, g) {
      const { H, W, h, w, cell } = g, band = cell * W, ps = H * W + PLANE_PAD, n = h * w;
      // float32 indices: the 9 association planes and the C planes of x of whole maps, ps apart;
      // the main thread's scratch planes; then bytes: the main thread's sums and the worker's (float64)
      const planesAt = 9 * ps, scratchAt = planesAt + C * ps;
      const mainSumsAt = 4 * (scratchAt + CHANNEL_GROUP * (band + PLANE_PAD)), workerSumsAt = mainSumsAt + 8 * (C + 1) * n;
      if (!usable(g, workerSumsAt + 8 * (C + 1) * n)) return one.pool(x, C, assoc, g);
      idle();
      const f32 = reserveFloat32(memory, workerSumsAt + 8 * (C + 1) * n);
      const mainSums = new Float64Array(memory.buffer, mainSumsAt, (C + 1) * n);
      const workerSums = new Float64Array(memory.buffer, workerSumsAt, (C + 1) * n);
      const s = split(h, POOL_MAIN_SHARE);
      // The worker pools bands s..h-1, POOL_CHUNK bands at a time, each chunk as soon as it is copied in.
      workerSums.fill(0);
      const calls: number[][] = [];
      for (let cy = s; cy < h; cy++) {
        if ((cy - s) % POOL_CHUNK === 0) calls.push([WAIT, (cy - s) / POOL_CHUNK + 1]);
        calls.push([POOL_MASS, 4 * cy * band, 4 * ps, workerSumsAt, W, cell, cy, h],
          [POOL, 4 * cy * band, 4 * ps, 4 * (planesAt + cy * band), 4 * ps, workerSumsAt, 1, C + 1, W, cell, cy, h]);
      }
      start(calls);
      for (let b0 = s; b0 < h; b0 += POOL_CHUNK) {
        const b1 = Math.min(h, b0 + POOL_CHUNK);
        copyRows(f32, 0, ps, assoc, 9, g, b0, b1);
        copyRows(f32, planesAt, ps, x, C, g, b0, b1);
        copied();
      }
      // Meanwhile the main thread pools bands 0..s-1.
      copyRows(f32, 0, ps, assoc, 9, g, 0, s);
      mainSums.fill(0);
      for (let cy = 0; cy < s; cy++) poolBandFrom(x, C, g, cy, wasm, f32, { assoc: 4 * cy * band, aStride: 4 * ps, scratchAt, sums: mainSumsAt });
      const sums = mainSums.slice();
      idle();
      for (let i = 0; i < sums.length; i++) sums[i] += workerSums[i];
      return sums;
    },

    sizes: (assoc, g) => one.sizes(assoc, g),
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
