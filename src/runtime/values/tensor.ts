/**
 * Tensors are float32 (or int32) arrays with an NCHW shape that live either in CPU memory or in a
 * WebGPU buffer. Nodes never care which: the Backend moves data when (and only when) it must.
 */
export type DType = 'float32' | 'int32';

export interface CpuTensor {
  readonly location: 'cpu';
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

export interface GpuTensor {
  readonly location: 'gpu';
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** A storage buffer of exactly size(shape) * 4 bytes (it may be larger; only the prefix counts). */
  readonly buffer: GPUBuffer;
}

export type Tensor = CpuTensor | GpuTensor;

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function cpuTensor(shape: readonly number[], data?: Float32Array): CpuTensor {
  const n = numel(shape);
  const arr = data ?? new Float32Array(n);
  if (arr.length !== n) throw new Error(`tensor data has ${arr.length} values, shape [${shape.join(',')}] needs ${n}`);
  return { location: 'cpu', dtype: 'float32', shape: [...shape], data: arr };
}

export function cpuTensorI32(shape: readonly number[], data?: Int32Array): CpuTensor {
  const n = numel(shape);
  const arr = data ?? new Int32Array(n);
  if (arr.length !== n) throw new Error(`tensor data has ${arr.length} values, shape [${shape.join(',')}] needs ${n}`);
  return { location: 'cpu', dtype: 'int32', shape: [...shape], data: arr };
}

export function tensorBytes(t: Tensor): number {
  return numel(t.shape) * 4;
}

export function describeShape(t: Tensor): string {
  return `${t.dtype}[${t.shape.join('x')}]@${t.location}`;
}

export function assertShape(t: Tensor, expected: readonly (number | null)[], what: string): void {
  const ok = t.shape.length === expected.length && expected.every((d, i) => d === null || d === t.shape[i]);
  if (!ok) {
    const want = expected.map((d) => (d === null ? '?' : String(d))).join('x');
    throw new Error(`${what}: expected shape [${want}], got [${t.shape.join('x')}]`);
  }
}
