/**
 * ONNX Runtime for the browser (and the WASM build in Node, for tests): onnxruntime-web with
 * execution providers ['webgpu', 'wasm'] when WebGPU gives an adapter, else ['wasm']. One of the two
 * files that import onnxruntime (see ort-gateway.ts).
 *
 * GPU tensors, when WebGPU is active:
 * - a GpuTensor feed is wrapped with `ort.Tensor.fromGpuBuffer` (no copy). Its buffer must belong to
 *   the GPUDevice ORT uses: pass our backend's device as `device` so both share one.
 * - outputs are requested as 'gpu-buffer' and handed on as our GpuTensor around ORT's buffer (no
 *   readback). We never call the ORT tensor's dispose(): the buffer then stays valid until our backend's
 *   `release` destroys it, like any other GpuTensor. An output ORT produced on the CPU (an op that fell
 *   back) comes back as a CpuTensor.
 * ORT-web runs one inference at a time, so runs are chained.
 */
import * as ort from 'onnxruntime-web';
import type { GpuTensor, Tensor } from '../values/tensor.ts';
import { shapesFromMetadata, toCpuTensor, type OrtGateway, type OrtSession } from './ort-gateway.ts';

export interface WebGatewayOptions {
  /** 'auto' (default): WebGPU if `navigator.gpu` gives an adapter, else WASM. 'wasm': WASM only. */
  readonly prefer?: 'auto' | 'wasm';
  /** The GPUDevice of our WebGPU backend, adopted by ORT (must be set before its first session). */
  readonly device?: GPUDevice;
  /** URL prefix the ort-wasm-*.wasm files are served from (browser; default: next to the bundle). */
  readonly wasmPaths?: string;
  /** WASM threads (default: ORT's choice; multi-threading needs a cross-origin isolated page). */
  readonly threads?: number;
}

async function webGpuUsable(): Promise<boolean> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

export async function createWebGateway(opts: WebGatewayOptions = {}): Promise<OrtGateway> {
  if (opts.wasmPaths) ort.env.wasm.wasmPaths = opts.wasmPaths;
  if (opts.threads) ort.env.wasm.numThreads = opts.threads;
  const webgpu = opts.prefer !== 'wasm' && (opts.device !== undefined || (await webGpuUsable()));
  if (webgpu && opts.device) ort.env.webgpu.device = opts.device;
  const options: ort.InferenceSession.SessionOptions = webgpu
    ? { executionProviders: ['webgpu', 'wasm'], graphOptimizationLevel: 'all', preferredOutputLocation: 'gpu-buffer' }
    : { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = chain.then(f, f);
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    description: `onnxruntime-web (${webgpu ? 'webgpu, wasm fallback' : 'wasm'})`,
    acceptsGpuTensors: webgpu,
    async createSession(bytes, label) {
      let session: ort.InferenceSession;
      try {
        session = await serial(() => ort.InferenceSession.create(bytes, options));
      } catch (e) {
        throw new Error(`${label}: onnxruntime-web could not load the model: ${(e as Error).message}`);
      }
      return wrap(session, label, webgpu, serial);
    },
  };
}

function toOrt(t: Tensor, name: string, label: string, webgpu: boolean): ort.Tensor {
  if (t.location === 'cpu') return new ort.Tensor(t.dtype, t.data, t.shape);
  if (!webgpu) throw new Error(`${label}: input "${name}" is on the GPU but onnxruntime-web runs on WASM here; read it back first`);
  return ort.Tensor.fromGpuBuffer(t.buffer, { dataType: t.dtype, dims: t.shape });
}

async function fromOrt(t: ort.Tensor, name: string): Promise<Tensor> {
  if (t.location === 'gpu-buffer' && (t.type === 'float32' || t.type === 'int32')) {
    const g: GpuTensor = { location: 'gpu', dtype: t.type, shape: [...t.dims], buffer: t.gpuBuffer as GPUBuffer };
    return g;
  }
  return toCpuTensor(t, name);
}

function wrap(
  session: ort.InferenceSession, label: string, webgpu: boolean,
  serial: <T>(f: () => Promise<T>) => Promise<T>,
): OrtSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    shapes: { ...shapesFromMetadata(session.inputMetadata), ...shapesFromMetadata(session.outputMetadata) },
    run: (feeds) => serial(async () => {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(t, name, label, webgpu);
      const out = await session.run(ortFeeds);
      const result: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(out)) result[name] = await fromOrt(t, name);
      return result;
    }),
    release: () => serial(() => session.release()),
  };
}
