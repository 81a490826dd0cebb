// The helper thread of sp-threads.ts (plain JavaScript: a worker_thread has no TypeScript loader).
// It runs the superpixel kernels on the shared memory: each job is a list of export calls that the
// main thread writes into `control` (the layout is in sp-threads.ts), signalled through Atomics.
import { parentPort, workerData } from 'node:worker_threads';

const { module, memory, control, exportNames, callInts, layout } = workerData;
const { JOB, DONE, CALLS, COPIED, CALLS_AT, STATES_AT, FREE, WORKER, WORKER_DONE } = layout;
const wasm = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = exportNames.map((name) => wasm[name]);
const WAIT = kernels.length, CLAIM = WAIT + 1;
/** How long a WAIT spins before it sleeps. */
const SPIN_MS = 1;
const ctrl = new Int32Array(control);
/** Runs call i of the job. */
const run = (i) => {
  const b = CALLS_AT + i * callInts;
  kernels[ctrl[b]](...ctrl.subarray(b + 1, b + callInts));
};
parentPort.postMessage('ready');
for (let seen = 0; ;) {
  Atomics.wait(ctrl, JOB, seen);
  seen = Atomics.load(ctrl, JOB);
  for (let i = 0, calls = ctrl[CALLS]; i < calls; i++) {
    const b = CALLS_AT + i * callInts, n = ctrl[b + 1];
    if (ctrl[b] === WAIT) {
      // Spin first: the copies come a fraction of a millisecond apart, and waking from a sleep
      // takes longer than that on a VM.
      const until = performance.now() + SPIN_MS;
      while (Atomics.load(ctrl, COPIED) < n && performance.now() < until);
      for (let copied = Atomics.load(ctrl, COPIED); copied < n; copied = Atomics.load(ctrl, COPIED)) Atomics.wait(ctrl, COPIED, copied);
    } else if (ctrl[b] === CLAIM) {
      // bands n-1, n-2, ... until one is the main thread's
      for (let band = n - 1; band >= 0 && Atomics.compareExchange(ctrl, STATES_AT + band, FREE, WORKER) === FREE; band--) {
        run(i + 1 + band);
        Atomics.store(ctrl, STATES_AT + band, WORKER_DONE);
        Atomics.notify(ctrl, STATES_AT + band);
      }
      i += n;
    } else {
      run(i);
    }
  }
  Atomics.store(ctrl, DONE, seen);
  Atomics.notify(ctrl, DONE);
}
