/**
 * Shared plumbing for WGSL kernels (their shape: kernel.ts): one device, a pipeline per kernel,
 * `run` to encode passes, helpers to make storage/uniform buffers and read them back, and counters
 * of dispatches and readbacks (tests use them to prove what a stage costs).
 */
import { numel, type CpuTensor, type GpuTensor, type Tensor } from '../../values/tensor.ts';
import type { Kernel, Pass } from './kernel.ts';

export class GpuContext {
  private readonly pipelines = new Map<Kernel, GPUComputePipeline>();
  /** Counts every GPU→CPU readback, so tests can prove that data stays on the GPU between stages. */
  readbacks = 0;
  /** Counts every compute dispatch, so tests can prove a stage's dispatches do not grow with its input. */
  dispatches = 0;

  constructor(readonly device: GPUDevice, readonly adapterDescription: string) {}

  /** The compute pipeline of `k`, created once. */
  pipeline(k: Kernel): GPUComputePipeline {
    let p = this.pipelines.get(k);
    if (!p) {
      const module = this.device.createShaderModule({ label: k.label, code: k.wgsl });
      p = this.device.createComputePipeline({ label: k.label, layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(k, p);
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

  /** Encodes `passes` as consecutive dispatches of one compute pass and submits them at once. */
  run(passes: readonly Pass[], label = passes[0]?.kernel.label): void {
    const enc = this.device.createCommandEncoder({ label });
    const pass = enc.beginComputePass({ label });
    for (const p of passes) {
      const pipeline = this.pipeline(p.kernel);
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: p.buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      }));
      pass.dispatchWorkgroups(...p.groups);
      this.dispatches++;
    }
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
