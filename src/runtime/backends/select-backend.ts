/**
 * Picks the backend for a run: WebGPU when an adapter exists (and the caller allows it), else CPU.
 * Nodes never see the choice; they call `ctx.backend`.
 */
import type { Backend } from './backend.ts';
import { createCpuBackend } from './cpu/cpu-backend.ts';
import { requestDevice } from './webgpu/device.ts';
import { createWebGpuBackend } from './webgpu/webgpu-backend.ts';

export async function selectBackend(opts: { gpu?: GPU; prefer?: 'webgpu' | 'cpu' } = {}): Promise<{ backend: Backend; fallbackReason?: string }> {
  if (opts.prefer === 'cpu') return { backend: createCpuBackend() };
  try {
    const { device, adapterDescription } = await requestDevice(opts.gpu);
    return { backend: createWebGpuBackend(device, adapterDescription) };
  } catch (e) {
    return { backend: createCpuBackend(), fallbackReason: (e as Error).message };
  }
}
