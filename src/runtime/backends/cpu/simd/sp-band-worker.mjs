// The helper thread of sp-threads.ts (plain JavaScript: a worker_thread has no TypeScript loader).
// It runs the superpixel kernels on the shared memory: each job is a list of export calls that the
// main thread writes into `control` (the layout is in sp-threads.ts), signalled through Atomics.
import { parentPort, workerData } from 'node:worker_threads';

const { module, memory, control, exportNames, callInts, layout: { JOB, DONE, CALLS, COPIED, FINISHED, CALLS_AT } } = workerData;
const wasm = new WebAssembly.Instance(module, { env: { memory } }).exports;
const kernels = exportNames.map((name) => wasm[name]);
const WAIT = kernels.length, SIGNAL = WAIT + 1;
const ctrl = new Int32Array(control);
parentPort.postMessage('ready');
for (let seen = 0; ;) {
  Atomics.wait(ctrl, JOB, seen);
  seen = Atomics.load(ctrl, JOB);
  for (let i = 0, calls = ctrl[CALLS]; i < calls; i++) {
    const b = CALLS_AT + i * callInts;
    if (ctrl[b] === WAIT) {
      for (let n = Atomics.load(ctrl, COPIED); n < ctrl[b + 1]; n = Atomics.load(ctrl, COPIED)) Atomics.wait(ctrl, COPIED, n);
    } else if (ctrl[b] === SIGNAL) {
      Atomics.add(ctrl, FINISHED, 1);
      Atomics.notify(ctrl, FINISHED);
    } else {
      kernels[ctrl[b]](...ctrl.subarray(b + 1, b + callInts));
    }
  }
  Atomics.store(ctrl, DONE, seen);
  Atomics.notify(ctrl, DONE);
}
