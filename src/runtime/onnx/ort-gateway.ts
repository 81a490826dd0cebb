/**
 * What the model host needs from an ONNX Runtime build. Exactly two files implement it and import
 * onnxruntime: `ort-node.ts` (onnxruntime-node, CPU) and `ort-web.ts` (onnxruntime-web, WebGPU or
 * WASM). Everything else speaks our own Tensor type.
 */
import type { CpuTensor, Tensor } from '../values/tensor.ts';
import type { Dim } from './stage-contract.ts';

export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Declared shapes from the file's metadata, by name (missing when the build does not report them). */
  readonly shapes: Readonly<Record<string, readonly Dim[]>>;
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  release(): Promise<void>;
}

export interface OrtGateway {
  /** e.g. "onnxruntime-node (cpu, 2 threads)" or "onnxruntime-web (webgpu)". */
  readonly description: string;
  /** True when `run` takes GpuTensor feeds as they are (ORT-web on WebGPU); otherwise feed CPU tensors. */
  readonly acceptsGpuTensors: boolean;
  createSession(bytes: Uint8Array, label: string): Promise<OrtSession>;
  /**
   * Starts the runtime ahead of the first session, if it starts lazily (onnxruntime-web fetches,
   * compiles and first runs its 14 MB of WASM then), so that it starts while model files download.
   */
  start?(): void;
}

/** The parts of an ORT tensor we read; both ORT builds' Tensor classes have them. */
export interface OrtTensorLike {
  readonly type: string;
  readonly dims: readonly number[];
  readonly location: string;
  readonly data?: unknown;
  getData(releaseData?: boolean): Promise<unknown>;
}

/** The parts of an ORT session's metadata we read. */
export interface OrtMetadataLike {
  readonly name: string;
  readonly isTensor: boolean;
  readonly shape?: readonly (number | string)[];
}

export function shapesFromMetadata(meta: readonly OrtMetadataLike[] | undefined): Record<string, readonly Dim[]> {
  const out: Record<string, readonly Dim[]> = {};
  for (const m of meta ?? []) if (m.isTensor && m.shape && m.shape.length) out[m.name] = [...m.shape];
  return out;
}


/** Copies an ORT output that lives in CPU memory (or reads it back) into our CpuTensor. */
export async function toCpuTensor(t: OrtTensorLike, name: string): Promise<CpuTensor> {
  if (t.type !== 'float32' && t.type !== 'int32') throw new Error(`output "${name}" is ${t.type}; only float32 and int32 are supported`);
  const data = t.location === 'cpu' ? t.data : await t.getData(true);
  if (!(data instanceof Float32Array || data instanceof Int32Array)) throw new Error(`output "${name}" did not come back as a typed array`);
  return { location: 'cpu', dtype: t.type, shape: [...t.dims], data };
}
