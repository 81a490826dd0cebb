/**
 * Finding a WebGPU device. In the browser `navigator.gpu`; in Node the `webgpu` package (Dawn),
 * whose software adapter needs VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json.
 */
import { describeAdapter, type AdapterFacts } from '../adapter-kind.ts';

export class WebGpuUnavailable extends Error {
  constructor(reason: string) {
    super(`WebGPU is not available: ${reason}`);
    this.name = 'WebGpuUnavailable';
  }
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapterDescription: string;
  isFallbackAdapter: boolean;
  /** The adapter's info as plain fields, for classifyAdapter (adapter-kind.ts). */
  adapterFacts: AdapterFacts;
}

export async function requestDevice(gpu: GPU | undefined): Promise<AcquiredDevice> {
  if (!gpu) throw new WebGpuUnavailable('this environment has no navigator.gpu');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new WebGpuUnavailable('no adapter (in Chromium, pass --enable-unsafe-webgpu for a software one)');
  const info = adapter.info;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
    },
  });
  const adapterFacts: AdapterFacts = {
    vendor: info?.vendor, architecture: info?.architecture, device: info?.device, description: info?.description,
    // Chromium moved the flag from GPUAdapter to GPUAdapterInfo; read either.
    isFallbackAdapter: Boolean((info as any)?.isFallbackAdapter ?? (adapter as any).isFallbackAdapter),
  };
  return { device, adapterDescription: describeAdapter(adapterFacts), isFallbackAdapter: adapterFacts.isFallbackAdapter!, adapterFacts };
}
