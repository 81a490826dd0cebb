/// <reference lib="webworker" />
/**
 * The engine worker: owns the Executor and its value cache, the backend (choose-backend.ts: WebGPU
 * on a hardware adapter, else CPU kernels + WASM), the model host and the image store, so the UI
 * thread never blocks on a run.
 * Runs are serialised; a new run waits for the previous one (the UI cancels it first).
 */
import { loadedModels } from '../../runtime/workflow/model-drift.ts';
import { createCpuBackend } from '../../runtime/backends/cpu/cpu-backend.ts';
import { warmUpCpuKernels } from '../../runtime/backends/cpu/warm-up.ts';
import type { Backend } from '../../runtime/backends/backend.ts';
import { Executor, RunCancelledError } from '../../runtime/engine/executor.ts';
import type { NodeDef, Values } from '../../runtime/engine/node-def.ts';
import { NodeRegistry } from '../../runtime/engine/registry.ts';
import { GraphValidationError } from '../../runtime/engine/validate.ts';
import type { ImageValue } from '../../runtime/values/types.ts';
import { fetchModelSource } from '../../runtime/onnx/fetch-model-source.ts';
import { OnnxModelHost } from '../../runtime/onnx/model-host.ts';
import { createWebGateway } from '../../runtime/onnx/ort-web.ts';
import type { OrtGateway } from '../../runtime/onnx/ort-gateway.ts';
import { allNodes } from '../../nodes/index.ts';
import { BlobImageIO } from './browser-io.ts';
import { inspect, type LastRun } from './inspect.ts';
import { inputsOf, previewImage } from './node-values.ts';
import { RunImages } from './run-images.ts';
import { chooseBackend, cpuInfo, wasmThreads, type EngineEnvironment } from './choose-backend.ts';
import type { BackendChoice, FromWorker, NodeImage, RunSummary, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

/** Which node a preview hook is reporting for; set per run. */
let onNodeValues: ((nodeId: string, def: NodeDef, inputs: Values, outputs: Values) => void) | undefined;

/** Same defs (same ids and versions, so same cache keys), with a hook that sends live previews. */
const registry = new NodeRegistry(allNodes.map((def): NodeDef => ({
  ...def,
  execute: async (ctx, inputs, params) => {
    const out = await def.execute(ctx, inputs, params);
    onNodeValues?.(ctx.nodeId, def, inputs, out);
    return out;
  },
})));
let executor = new Executor({ registry });
const io = new BlobImageIO();
let models: OnnxModelHost | undefined;
/** Settles once onnxruntime-web's start has been asked for (its files are downloading then), or could not be. */
let ortStarting: Promise<void> = Promise.resolve();
/** Warm-ups (of prepared model sets, of the CPU kernels), stopped when a run comes (it needs the worker more). */
const warmUps = new Set<AbortController>();
const controllers = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();
/** The last run's values, for the viewer's inspect requests. */
let last: LastRun | undefined;
let modelsUrl = '';
/** onnxruntime-web's WASM binary when the page preloaded it (`ort-binary`), for ORT to start from. */
let ortBinary: Promise<ArrayBuffer | undefined> = Promise.resolve(undefined);
let giveOrtBinary: (bytes: ArrayBuffer | undefined) => void = () => {};
/** Node errors that may mean the device is gone (then a failed run waits to learn whether it is). */
const GPU_TROUBLE = /GPU|device|mapAsync|buffer/i;
/** Set once the WebGPU device is lost: from then on everything runs on the CPU (and ORT on WASM). */
let lostReason: string | undefined;
/** The backend; chosen on `init` (see choose-backend.ts). */
let backendReady: Promise<Backend> = new Promise(() => {});
let choice: BackendChoice = 'auto';
const env: EngineEnvironment = {
  gpu: (navigator as Navigator & { gpu?: GPU }).gpu,
  isolated: scope.crossOriginIsolated === true,
  cores: navigator.hardwareConcurrency ?? 1,
};

/**
 * onnxruntime-web's WASM threads are workers started from the script that holds ORT, which in the
 * built site is this bundle; emscripten names them `em-pthread…` and ORT installs its own message
 * handler there while loading. Such a worker must not take over the messages, or the thread pool
 * never starts and the first multi-threaded inference hangs.
 */
const isOrtThread = scope.name.startsWith('em-pthread');
if (!isOrtThread) scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'init') init(msg.modelsUrl, msg.backend, msg.ortBinary);
  else if (msg.type === 'ort-binary') giveOrtBinary(msg.bytes);
  else if (msg.type === 'prepare-models') prepareModels(msg.set);
  else if (msg.type === 'photo') io.putDecoded(msg.key, msg.blob, msg.pixels);
  else if (msg.type === 'cancel') controllers.get(msg.runId)?.abort();
  else if (msg.type === 'lose-device') void backendReady.then((b) => gpuDeviceOf(b)?.destroy());
  else if (msg.type === 'run') {
    for (const w of warmUps) w.abort();
    const ctl = new AbortController();
    controllers.set(msg.runId, ctl);
    queue = queue.then(() => run(msg, ctl.signal)).finally(() => controllers.delete(msg.runId));
  } else if (msg.type === 'inspect') {
    queue = queue.then(async () => {
      try {
        const { result, transfer } = await inspect(msg.query, last, await backendReady, registry);
        post({ type: 'inspected', reqId: msg.reqId, result }, transfer);
      } catch (e) {
        post({ type: 'inspected', reqId: msg.reqId, error: (e as Error).message });
      }
    });
  }
};

function init(url: string, asked: BackendChoice, binaryFollows: boolean): void {
  modelsUrl = url;
  choice = asked;
  if (binaryFollows) ortBinary = new Promise((resolve) => (giveOrtBinary = resolve));
  const chosen = chooseBackend(asked, env);
  backendReady = chosen.then(({ backend, info }) => {
    post({ type: 'ready', backend: info.label, fallbackReason: info.kind === 'cpu' ? info.reason : undefined, info });
    watchDevice(backend);
    return backend;
  });
  models = modelHost();
  // The CPU kernels warm up once onnxruntime-web's start is under way: begun earlier, their tasks held
  // back its import. They run one step per task, between ORT's own (its download, when the page did not
  // preload the binary, or its start and the session creates when it did).
  void Promise.all([chosen, ortStarting]).then(([{ backend, info }]) => info.kind === 'cpu' && warmUpKernels(backend), () => undefined);
}

function gpuDeviceOf(b: Backend): GPUDevice | undefined {
  return 'gpu' in b ? (b as { gpu: { device: GPUDevice } }).gpu.device : undefined;
}

/**
 * A lost WebGPU device (driver reset, GPU removed, or `lose-device` from a test) cannot be used again:
 * switch to the CPU backend and ORT's WASM backend, and forget cached values (they lived on the device).
 */
function watchDevice(backend: Backend): void {
  void gpuDeviceOf(backend)?.lost.then((info) => {
    if (lostReason !== undefined) return;
    lostReason = `the WebGPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''}); running on the CPU now`;
    const cpu = createCpuBackend();
    backendReady = Promise.resolve(cpu);
    executor = new Executor({ registry });
    last = undefined;
    const gateway = createWebGateway({ prefer: 'wasm', threads: wasmThreads(env), wasmBinary: ortBinary });
    models = modelHost(gateway);
    const now = cpuInfo(choice, lostReason, env);
    post({ type: 'ready', backend: now.label, fallbackReason: lostReason, info: now });
    void gateway.then((g) => post({ type: 'device-lost', reason: lostReason!, ort: g.description }), (e) => post({ type: 'device-lost', reason: `${lostReason}; onnxruntime-web failed to start: ${(e as Error).message}` }));
  });
}

/**
 * Runs a graph. Thumbnails of the nodes that execute are sent as they finish; the full-size image
 * of `msg.view` goes with `finished` (the viewer draws it without asking), and only then come the
 * thumbnails of cached nodes (the UI usually has them already).
 */
async function run(msg: Extract<ToWorker, { type: 'run' }>, signal: AbortSignal): Promise<void> {
  const { runId, graph } = msg;
  const t0 = performance.now();
  const images = new RunImages();
  const previewed = new Set<string>();
  const thumbs: Promise<void>[] = [];
  const sendPreview = (nodeId: string, img: ImageValue | undefined) => {
    if (!img || previewed.has(nodeId)) return;
    previewed.add(nodeId);
    thumbs.push(images.thumbnail(img).then(
      (bitmap) => post({ type: 'preview', runId, nodeId, bitmap, width: img.width, height: img.height }, [bitmap]),
      (e: unknown) => console.error(`engine: no thumbnail for node ${nodeId}: ${(e as Error).message}`),
    ));
  };
  onNodeValues = (nodeId, def, inputs, outputs) => sendPreview(nodeId, previewImage(def, inputs, outputs));
  for (const [key, blob] of Object.entries(msg.images)) io.put(key, blob);

  let summary: RunSummary;
  const host = models!;
  const sessionsBefore = host.sessionsCreated;
  const decodedBefore = io.decodedOnDemand;
  let image: NodeImage | undefined;
  let previewLater = () => {};
  const lostBefore = lostReason;
  let gpuTrouble = false;
  try {
    const backend = await backendReady;
    const result = await executor.run(graph, {
      targets: msg.targets, backend, models, io, signal,
      onEvent: (event) => {
        if (event.error && GPU_TROUBLE.test(event.error)) gpuTrouble = true;
        post({ type: 'event', runId, event });
      },
    });
    const imageOf = (id: string) => {
      const def = registry.get(graph[id].type)!;
      return previewImage(def, inputsOf(graph, id, def, result.values, registry), result.values.get(id)!);
    };
    const viewed = msg.view !== undefined && result.values.has(msg.view) ? imageOf(msg.view) : undefined;
    if (viewed) {
      await Promise.all(thumbs); // made from the bitmap about to be handed over
      image = { nodeId: msg.view!, key: result.keys.get(msg.view!) ?? '', bitmap: await images.take(viewed), width: viewed.width, height: viewed.height };
    }
    // Cached and bypassed nodes did not execute: preview them from the run's values, after the result.
    previewLater = () => {
      for (const id of result.values.keys()) sendPreview(id, imageOf(id));
    };
    last = { graph, values: result.values, keys: result.keys };
    summary = {
      ok: result.ok, cancelled: false, executed: result.executed.length, cached: result.cached.length, ms: performance.now() - t0,
      models: loadedModels(result.values.values()), sessionsCreated: host.sessionsCreated - sessionsBefore,
      photosDecoded: io.decodedOnDemand - decodedBefore,
    };
  } catch (e) {
    const cancelled = e instanceof RunCancelledError;
    if (e instanceof GraphValidationError) {
      for (const issue of e.issues) post({ type: 'event', runId, event: { nodeId: issue.nodeId, state: 'error', error: issue.message } });
    }
    summary = { ok: false, cancelled, error: (e as Error).message, executed: 0, cached: 0, ms: performance.now() - t0 };
  } finally {
    onNodeValues = undefined;
  }
  // The device was lost during this run: its GPU work is gone, so run it again on the CPU. (`device.lost`
  // can settle a while after the first failures, so a run that failed with GPU errors waits for it.)
  const device = gpuDeviceOf(await backendReady);
  if (gpuTrouble && device && lostReason === lostBefore) await Promise.race([device.lost, new Promise((r) => setTimeout(r, 2000))]);
  if (lostReason !== lostBefore && !signal.aborted) {
    image?.bitmap.close();
    void Promise.all(thumbs).then(() => images.close());
    return run(msg, signal);
  }
  post({ type: 'finished', runId, summary, image }, image ? [image.bitmap] : []);
  previewLater();
  void Promise.all(thumbs).then(() => images.close()); // the next run need not wait for thumbnails
}

/**
 * Warms up the CPU kernels on a tiny image while the worker has nothing else to do (warm-up.ts), so
 * the first run does not meet them cold; a run stops it.
 */
function warmUpKernels(backend: Backend): void {
  const stop = new AbortController();
  warmUps.add(stop);
  const t0 = performance.now();
  void warmUpCpuKernels(backend, stop.signal)
    .catch((e: unknown) => console.warn(`engine: warming up the CPU kernels failed: ${(e as Error).message}`))
    .finally(() => {
      warmUps.delete(stop);
      performance.measure('disco: CPU kernels warmed up', { start: t0 });
    });
}

/**
 * Creates a model set's sessions ahead of a run and warms them up (OnnxModelHost.prepare), outside
 * the run queue: a run that starts meanwhile finds the sessions being made and waits for them only,
 * and stops the warm-ups not yet begun. The set's name comes from the graph and is checked by the
 * model source like any other.
 */
function prepareModels(set: string): void {
  const host = models!;
  const stop = new AbortController();
  warmUps.add(stop);
  const t0 = performance.now();
  void backendReady
    .then(() => host.prepare(set, stop.signal))
    .then(
      () => post({ type: 'models-ready', set, ms: performance.now() - t0 }),
      (e: unknown) => post({ type: 'models-ready', set, ms: performance.now() - t0, error: (e as Error).message }),
    )
    .finally(() => {
      warmUps.delete(stop);
      performance.measure(`disco: model set ${set} prepared`, { start: t0 });
    });
}

/**
 * Model sets fetched from `<page>/models/<set>/manifest.json`. On the WebGPU backend onnxruntime-web
 * shares its device, so GPU tensors pass between our kernels and ORT without copies; on the CPU
 * backend ORT runs on WASM, one thread per core when the page is cross-origin isolated, and starts
 * as soon as the worker does (OrtGateway.start), from the binary the page preloaded if it did (else
 * ORT downloads its 14 MB itself), so a model set asked for later finds it running.
 */
function modelHost(gateway?: Promise<OrtGateway>): OnnxModelHost {
  const threads = wasmThreads(env);
  gateway ??= backendReady.then((b) => {
    const device = gpuDeviceOf(b);
    return device ? createWebGateway({ device, threads }) : createWebGateway({ prefer: 'wasm', threads, wasmBinary: ortBinary });
  });
  // A failed start is reported by the first session that needs the runtime.
  ortStarting = gateway.then((g) => void g.start?.(), () => undefined);
  return new OnnxModelHost({
    source: fetchModelSource({ baseUrl: modelsUrl }),
    gateway,
    readback: async (t) => (await backendReady).download(t),
  });
}
