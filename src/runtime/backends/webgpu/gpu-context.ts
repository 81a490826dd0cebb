/**
 * Shared plumbing for WGSL kernels: one device, a pipeline cache keyed by shader + constants, and
 * helpers to make storage/uniform buffers and read them back. Kernels build their pipeline once
 * (`ctx.pipeline(...)`) and only encode dispatches per call.
 */
import { numel, type CpuTensor, type GpuTensor, type Tensor } from '../../values/tensor.ts';

export class GpuContext {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  /** Counts every GPU→CPU readback, so tests can prove that data stays on the GPU between stages. */
  readbacks = 0;
  /** Counts every compute dispatch, so tests can prove a stage's dispatches do not grow with its input. */
  dispatches = 0;

  constructor(readonly device: GPUDevice, readonly adapterDescription: string) {}

  /** A compute pipeline for `code` (entry point `main`), created once per (code, constants). */
  pipeline(label: string, code: string, constants: Record<string, number> = {}): GPUComputePipeline {
    const key = `${label}\n${JSON.stringify(constants)}\n${code}`;
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ label, code });
      p = this.device.createComputePipeline({ label, layout: 'auto', compute: { module, entryPoint: 'main', constants } });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /** A zero-filled storage buffer for `n` 32-bit values. */
  storage(n: number, label = 'storage'): GPUBuffer {
    return this.device.createBuffer({
      label, size: Math.max(16, align4(n * 4)),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
  }

  /** A uniform buffer holding `values` as u32 (ints) — pass f32 bits via `f32Bits`. */
  uniformU32(values: number[], label = 'uniform'): GPUBuffer {
    const data = new Uint32Array(Math.max(4, align4(values.length)));
    data.set(values.map((v) => v >>> 0));
    const buf = this.device.createBuffer({ label, size: data.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(buf, 0, data);
    return buf;
  }

  /** Uploads a CPU tensor (or returns a GPU one as is). */
  upload(t: Tensor): GpuTensor {
    if (t.location === 'gpu') return t;
    const buf = this.storage(t.data.length, 'upload');
    this.device.queue.writeBuffer(buf, 0, t.data.buffer, t.data.byteOffset, t.data.byteLength);
    return { location: 'gpu', dtype: t.dtype, shape: [...t.shape], buffer: buf };
  }

  gpuTensor(shape: readonly number[], dtype: 'float32' | 'int32' = 'float32', label = 'tensor'): GpuTensor {
    return { location: 'gpu', dtype, shape: [...shape], buffer: this.storage(numel(shape), label) };
  }

  /** Reads a GPU tensor back to the CPU. Every call is counted in `readbacks`. */
  async download(t: Tensor): Promise<CpuTensor> {
    if (t.location === 'cpu') return t;
    this.readbacks++;
    const n = numel(t.shape);
    const staging = this.device.createBuffer({ size: Math.max(16, align4(n * 4)), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(t.buffer, 0, staging, 0, n * 4);
    this.device.queue.submit([enc.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const copy = staging.getMappedRange(0, n * 4).slice(0);
    staging.unmap();
    staging.destroy();
    const data = t.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    return { location: 'cpu', dtype: t.dtype, shape: [...t.shape], data };
  }

  /** Encodes and submits one dispatch of `pipeline` with the buffers bound at group 0, bindings 0.. */
  dispatch(pipeline: GPUComputePipeline, buffers: GPUBuffer[], workgroups: [number, number?, number?]): void {
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1);
    this.dispatches++;
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }
}

export function f32Bits(x: number): number {
  const f = new Float32Array([x]);
  return new Uint32Array(f.buffer)[0];
}

function align4(n: number): number {
  return Math.ceil(n / 16) * 16;
}
