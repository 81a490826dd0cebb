/**
 * WebGPU in Node through the `webgpu` package (Dawn). Used by the CLI (when asked) and by tests.
 * Not imported by anything the browser bundle loads.
 */
import { requestDevice, WebGpuUnavailable, type AcquiredDevice } from './device.ts';

const liveInstances = new Set<unknown>();

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export async function requestNodeDevice(): Promise<AcquiredDevice & { close(): void }> {
  if (!process.env.VK_ICD_FILENAMES) {
    const { existsSync } = await import('node:fs');
    if (existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  process.env.NODEVICE_SELECT ??= '1';
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch (e) {
    throw new WebGpuUnavailable(`the webgpu package did not load (${(e as Error).message})`);
  }
  Object.assign(globalThis, mod.globals);
  const gpu = mod.create([]);
  const acquired = await requestDevice(gpu as unknown as GPU);
  // Keep the Dawn instance reachable while the device lives: if the GC collects it, dawn.node
  // tears the instance down under the device and the process aborts (futex/mutex errors).
  liveInstances.add(gpu);
  return {
    ...acquired,
    close: () => {
      acquired.device.destroy();
      liveInstances.delete(gpu);
    },
  };
}
