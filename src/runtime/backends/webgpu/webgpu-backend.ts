/**
 * The WebGPU backend: WGSL compute kernels. Tensors stay in GPU buffers from node to node; data
 * comes back to the CPU only through `download` (previews, CLI outputs) or where a kernel says so.
 */
import type { Backend } from '../backend.ts';
import { gpuAnchorOps } from './anchor-ops.ts';
import { gpuColorOps } from './color-ops.ts';
import { gpuSuperpixelOps } from './superpixel-ops.ts';
import { GpuContext } from './gpu-context.ts';

export function createWebGpuBackend(device: GPUDevice, adapterDescription: string): Backend & { gpu: GpuContext } {
  const gpu = new GpuContext(device, adapterDescription);
  return {
    name: 'webgpu',
    description: `WebGPU: ${adapterDescription}`,
    gpu,
    async upload(t) { return gpu.upload(t); },
    download: (t) => gpu.download(t),
    release(t) { if (t.location === 'gpu') t.buffer.destroy(); },
    ...gpuColorOps(gpu),
    ...gpuSuperpixelOps(gpu),
    ...gpuAnchorOps(gpu),
  };
}
