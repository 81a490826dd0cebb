/**
 * Finding a WebGPU device. In the browser `navigator.gpu`; in Node the `webgpu` package (Dawn),
 * whose software adapter needs VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json.
 */
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
  const description = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown adapter';
  return { device, adapterDescription: description, isFallbackAdapter: Boolean((info as any)?.isFallbackAdapter) };
}
