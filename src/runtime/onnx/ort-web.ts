/**
 * ONNX Runtime for the browser (and the WASM build in Node, for tests): onnxruntime-web with
 * execution providers ['webgpu', 'wasm'] when WebGPU gives an adapter, else ['wasm']. One of the two
 * files that import onnxruntime (see ort-gateway.ts).
 *
 * GPU tensors, when WebGPU is active and our backend's `device` is given (else feeds and outputs are
 * CPU tensors, even if ORT computes on WebGPU):
 * - a GpuTensor feed is wrapped with `ort.Tensor.fromGpuBuffer` (no copy). Its buffer must belong to
 *   the GPUDevice ORT uses: pass our backend's device as `device` so both share one. ORT's JSEP build
 *   ignores a preset `env.webgpu.device` and asks `env.webgpu.adapter` for a new device, so we hand it
 *   an adapter stand-in whose requestDevice() returns ours (ORT then reads that device's limits and
 *   features, and sets its `onuncapturederror` to a logger). The first gateway's device wins: ORT
 *   initialises WebGPU once per page/worker.
 * - outputs are requested as 'gpu-buffer' and handed on as our GpuTensor around ORT's buffer (no
 *   readback). We never call the ORT tensor's dispose(): the buffer then stays valid until our backend's
 *   `release` destroys it, like any other GpuTensor. An output ORT produced on the CPU (an op that fell
 *   back) comes back as a CpuTensor.
 * ORT-web runs one inference at a time, so runs are chained.
 *
 * Two builds of onnxruntime-web, loaded on first use: the one with WebGPU (JSEP; its WASM binary is
 * 28 MB) only when WebGPU is used, else the WASM-only one (14 MB), which the browser fetches and
 * compiles in about half the time; model loading on the CPU path waits for that compilation. (In
 * Node, `onnxruntime-web` resolves to its Node build, which is WASM-only already.)
 */
import type * as Ort from 'onnxruntime-web';
import type { GpuTensor, Tensor } from '../values/tensor.ts';
import { nextTask } from './next-task.ts';
import { shapesFromMetadata, toCpuTensor, type OrtGateway, type OrtSession } from './ort-gateway.ts';

/** The `performance` measure `start` leaves (from the call to the runtime being up), where it is called. */
export const STARTED = 'disco: onnxruntime-web started';

export interface WebGatewayOptions {
  /** 'auto' (default): WebGPU if `navigator.gpu` gives an adapter, else WASM. 'wasm': WASM only. */
  readonly prefer?: 'auto' | 'wasm';
  /** The GPUDevice of our WebGPU backend, adopted by ORT (must be set before its first session). */
  readonly device?: GPUDevice;
  /** URL prefix the ort-wasm-*.wasm files are served from (browser; default: next to the bundle). */
  readonly wasmPaths?: string;
  /** WASM threads (default: ORT's choice; multi-threading needs a cross-origin isolated page). */
  readonly threads?: number;
  /**
   * The WASM-only build's binary, when the page already has it (a preload): ORT's first call waits for
   * it and starts from it instead of downloading the file; if it resolves to undefined, ORT downloads.
   */
  readonly wasmBinary?: Promise<ArrayBuffer | undefined>;
}

/**
 * The smallest ONNX model: y = Identity(x), x a float32 [1]. Creating a session from it is how the
 * runtime is started ahead of the real models (onnxruntime-web starts its backend at the first
 * session and has no call to start it alone). Protocol-buffer fields of onnx.proto's ModelProto.
 */
function identityModel(): Uint8Array {
  const varint = (n: number): number[] => {
    const out: number[] = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n >>>= 7;
    } while (n);
    return out;
  };
  const int = (field: number, n: number) => [...varint(field << 3), ...varint(n)];
  const bytes = (field: number, content: number[]) => [...varint((field << 3) | 2), ...varint(content.length), ...content];
  const str = (field: number, s: string) => bytes(field, [...new TextEncoder().encode(s)]);
  // ValueInfoProto: name, TypeProto.tensor_type { elem_type FLOAT, shape [1] }.
  const tensor = (name: string) => [...str(1, name), ...bytes(2, bytes(1, [...int(1, 1), ...bytes(2, bytes(1, int(1, 1)))]))];
  // GraphProto: node { input, output, op_type }, name, input, output.
  const graph = [...bytes(1, [...str(1, 'x'), ...str(2, 'y'), ...str(4, 'Identity')]), ...str(2, 'start'), ...bytes(11, tensor('x')), ...bytes(12, tensor('y'))];
  // ModelProto: ir_version 7, graph, opset_import { version 13 }.
  return new Uint8Array([...int(1, 7), ...bytes(7, graph), ...bytes(8, int(2, 13))]);
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

type OrtModule = typeof Ort;

/** Makes ORT's WebGPU backend adopt `device` (see the file comment). */
function shareDevice(ort: OrtModule, device: GPUDevice): void {
  const current = ort.env.webgpu.adapter as unknown as { sharedDevice?: GPUDevice } | undefined;
  if (current?.sharedDevice === device) return;
  if (current) throw new Error('onnxruntime-web already uses another WebGPU device in this page or worker');
  const standIn = {
    sharedDevice: device,
    limits: device.limits,
    features: device.features,
    info: (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo,
    requestDevice: async () => device,
  };
  ort.env.webgpu.adapter = standIn as unknown as GPUAdapter;
}

export async function createWebGateway(opts: WebGatewayOptions = {}): Promise<OrtGateway> {
  const webgpu = opts.prefer !== 'wasm' && (opts.device !== undefined || (await webGpuUsable()));
  const inNode = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  const ort: OrtModule = webgpu || inNode ? await import('onnxruntime-web') : await import('onnxruntime-web/wasm');
  if (opts.wasmPaths) ort.env.wasm.wasmPaths = opts.wasmPaths;
  if (opts.threads) ort.env.wasm.numThreads = opts.threads;
  const binary = webgpu ? undefined : opts.wasmBinary;
  const withBinary = async () => {
    const bytes = await binary;
    if (bytes && !ort.env.wasm.wasmBinary) ort.env.wasm.wasmBinary = bytes;
  };
  // GPU tensors cross the boundary only on a shared device: outputs on ORT's own device would be
  // buffers our backend cannot use, so without `device` ORT computes on WebGPU but returns CPU tensors.
  const shared = webgpu && opts.device !== undefined;
  if (shared) shareDevice(ort, opts.device!);
  const options: Ort.InferenceSession.SessionOptions = webgpu
    ? { executionProviders: ['webgpu', 'wasm'], graphOptimizationLevel: 'all', ...(shared ? { preferredOutputLocation: 'gpu-buffer' } : {}) }
    : { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  // One call at a time, each in its own task (see next-task.ts), so the worker handles messages between them.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = chain.then(nextTask, nextTask).then(withBinary).then(f);
    chain = next.catch(() => undefined);
    return next;
  };
  let started = false;
  return {
    description: `onnxruntime-web (${shared ? 'webgpu on the shared device' : webgpu ? 'webgpu, CPU tensors' : 'wasm'})`,
    acceptsGpuTensors: shared,
    // WASM only: on WebGPU the first session also sets up the device, kept where it was (not measured).
    start: webgpu ? undefined : () => {
      if (started) return;
      started = true;
      const t0 = performance.now();
      // A failed start is not reported here: ORT keeps the error and the first real session reports it.
      void serial(() => ort.InferenceSession.create(identityModel(), options)).then((s) => {
        performance.measure(STARTED, { start: t0 }); // for tests and traces: when the runtime was up
        return s.release();
      }, () => undefined);
    },
    async createSession(bytes, label) {
      let session: Ort.InferenceSession;
      try {
        session = await serial(() => ort.InferenceSession.create(bytes, options));
      } catch (e) {
        throw new Error(`${label}: onnxruntime-web could not load the model: ${(e as Error).message}`);
      }
      return wrap(ort, session, label, shared, serial);
    },
  };
}

function toOrt(ort: OrtModule, t: Tensor, name: string, label: string, shared: boolean): Ort.Tensor {
  if (t.location === 'cpu') return new ort.Tensor(t.dtype, t.data, t.shape);
  if (!shared) throw new Error(`${label}: input "${name}" is on the GPU but onnxruntime-web does not share our WebGPU device here; read it back first`);
  return ort.Tensor.fromGpuBuffer(t.buffer, { dataType: t.dtype, dims: t.shape });
}

async function fromOrt(t: Ort.Tensor, name: string): Promise<Tensor> {
  if (t.location === 'gpu-buffer' && (t.type === 'float32' || t.type === 'int32')) {
    const g: GpuTensor = { location: 'gpu', dtype: t.type, shape: [...t.dims], buffer: t.gpuBuffer as GPUBuffer };
    return g;
  }
  return toCpuTensor(t, name);
}

function wrap(
  ort: OrtModule, session: Ort.InferenceSession, label: string, shared: boolean,
  serial: <T>(f: () => Promise<T>) => Promise<T>,
): OrtSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    shapes: { ...shapesFromMetadata(session.inputMetadata), ...shapesFromMetadata(session.outputMetadata) },
    run: (feeds) => serial(async () => {
      const ortFeeds: Record<string, Ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(ort, t, name, label, shared);
      const out = await session.run(ortFeeds);
      const result: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(out)) result[name] = await fromOrt(t, name);
      return result;
    }),
    release: () => serial(() => session.release()),
  };
}
