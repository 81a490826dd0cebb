/**
 * A real WebGPU device for kernel tests (Dawn in Node on the SwiftShader software adapter, which
 * the setup script installs with Debian's chromium). Tests FAIL when it is missing: a silently
 * skipped GPU test would hide a broken kernel. Set DISCO_ALLOW_NO_GPU=1 to skip on a machine
 * without chromium's SwiftShader ICD.
 */
import { afterAll } from 'vitest';
import { requestNodeDevice } from '../../src/runtime/backends/webgpu/node-gpu.ts';
import { createWebGpuBackend } from '../../src/runtime/backends/webgpu/webgpu-backend.ts';

let shared: Promise<ReturnType<typeof createWebGpuBackend>> | undefined;
let close: (() => void) | undefined;

export function gpuAvailableOrRequired(): boolean {
  return process.env.DISCO_ALLOW_NO_GPU !== '1';
}

/** One WebGPU backend per test file, destroyed after the file's tests. */
export function getGpuBackend(): Promise<ReturnType<typeof createWebGpuBackend>> {
  if (!shared) {
    shared = requestNodeDevice().then((d) => {
      close = d.close;
      return createWebGpuBackend(d.device, d.adapterDescription);
    });
    afterAll(() => { close?.(); shared = undefined; });
  }
  return shared;
}
