/// <reference lib="webworker" />
/**
 * The engine worker: owns the Executor and its value cache, the backend (WebGPU if an adapter
 * exists, else CPU), the model host and the image store, so the UI thread never blocks on a run.
 * Runs are serialised; a new run waits for the previous one (the UI cancels it first).
 */
import { selectBackend } from '../../runtime/backends/select-backend.ts';
import type { Backend } from '../../runtime/backends/backend.ts';
import type { ModelHost } from '../../runtime/engine/context.ts';
import { Executor, RunCancelledError } from '../../runtime/engine/executor.ts';
import type { NodeDef, Values } from '../../runtime/engine/node-def.ts';
import { NodeRegistry } from '../../runtime/engine/registry.ts';
import { GraphValidationError } from '../../runtime/engine/validate.ts';
import type { ImageValue } from '../../runtime/values/types.ts';
import { fetchModelSource } from '../../runtime/onnx/fetch-model-source.ts';
import { OnnxModelHost } from '../../runtime/onnx/model-host.ts';
import { createWebGateway } from '../../runtime/onnx/ort-web.ts';
import { allNodes } from '../../nodes/index.ts';
import { BlobImageIO, thumbnailOf } from './browser-io.ts';
import { inspect, type LastRun } from './inspect.ts';
import { inputsOf, previewImage } from './node-values.ts';
import type { FromWorker, RunSummary, ToWorker } from './protocol.ts';

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
const executor = new Executor({ registry });
const io = new BlobImageIO();
let models: ModelHost | undefined;
const controllers = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();
/** The last run's values, for the viewer's inspect requests. */
let last: LastRun | undefined;

const backendReady: Promise<Backend> = selectBackend({ gpu: (navigator as Navigator & { gpu?: GPU }).gpu }).then(({ backend, fallbackReason }) => {
  post({ type: 'ready', backend: backend.description, fallbackReason });
  return backend;
});

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'init') models = modelHost(msg.modelsUrl);
  else if (msg.type === 'cancel') controllers.get(msg.runId)?.abort();
  else if (msg.type === 'run') {
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

async function run(msg: Extract<ToWorker, { type: 'run' }>, signal: AbortSignal): Promise<void> {
  const { runId, graph } = msg;
  const t0 = performance.now();
  const previewed = new Set<string>();
  const sendPreview = (nodeId: string, img: ImageValue | undefined) => {
    if (!img || previewed.has(nodeId)) return;
    previewed.add(nodeId);
    void thumbnailOf(img).then((bitmap) => post({ type: 'preview', runId, nodeId, bitmap, width: img.width, height: img.height }, [bitmap]));
  };
  onNodeValues = (nodeId, def, inputs, outputs) => sendPreview(nodeId, previewImage(def, inputs, outputs));
  for (const [key, blob] of Object.entries(msg.images)) io.put(key, blob);

  let summary: RunSummary;
  try {
    const backend = await backendReady;
    const result = await executor.run(graph, {
      targets: msg.targets, backend, models, io, signal,
      onEvent: (event) => post({ type: 'event', runId, event }),
    });
    // Cached and bypassed nodes did not execute: preview them from the run's values.
    for (const [id, outputs] of result.values) {
      const def = registry.get(graph[id].type)!;
      sendPreview(id, previewImage(def, inputsOf(graph, id, def, result.values, registry), outputs));
    }
    last = { graph, values: result.values, keys: result.keys };
    summary = { ok: result.ok, cancelled: false, executed: result.executed.length, cached: result.cached.length, ms: performance.now() - t0 };
  } catch (e) {
    const cancelled = e instanceof RunCancelledError;
    if (e instanceof GraphValidationError) {
      for (const issue of e.issues) post({ type: 'event', runId, event: { nodeId: issue.nodeId, state: 'error', error: issue.message } });
    }
    summary = { ok: false, cancelled, error: (e as Error).message, executed: 0, cached: 0, ms: performance.now() - t0 };
  } finally {
    onNodeValues = undefined;
  }
  post({ type: 'finished', runId, summary });
}

/**
 * Model sets fetched from `<page>/models/<set>/manifest.json`; onnxruntime-web shares the WebGPU
 * backend's device so GPU tensors pass between our kernels and ORT without copies.
 */
function modelHost(modelsUrl: string): ModelHost {
  return new OnnxModelHost({
    source: fetchModelSource({ baseUrl: modelsUrl }),
    gateway: backendReady.then((b) => createWebGateway({ device: 'gpu' in b ? (b as { gpu: { device: GPUDevice } }).gpu.device : undefined })),
    readback: async (t) => (await backendReady).download(t),
  });
}
