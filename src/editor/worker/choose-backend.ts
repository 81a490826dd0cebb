/**
 * Which backend the engine worker runs on. `auto` (the default) uses WebGPU only on a hardware
 * adapter: on a fallback or software one (SwiftShader, llvmpipe… see classifyAdapter, the CLI's rule
 * too) WGSL runs on the CPU, far slower than the CPU kernels, so the networks run on onnxruntime-web's
 * WASM build and the parameter-free stages on the CPU kernels. `webgpu` and `cpu` force one.
 * WASM gets one thread per core when the page is cross-origin isolated, else one.
 */
import { classifyAdapter } from '../../runtime/backends/adapter-kind.ts';
import type { Backend } from '../../runtime/backends/backend.ts';
import { createCpuBackend } from '../../runtime/backends/cpu/cpu-backend.ts';
import { requestDevice, type AcquiredDevice } from '../../runtime/backends/webgpu/device.ts';
import { createWebGpuBackend } from '../../runtime/backends/webgpu/webgpu-backend.ts';
import type { BackendChoice, BackendInfo } from './protocol.ts';

export interface EngineEnvironment {
  readonly gpu: GPU | undefined;
  /** `crossOriginIsolated` of the worker (SharedArrayBuffer, hence WASM threads, need it). */
  readonly isolated: boolean;
  /** navigator.hardwareConcurrency. */
  readonly cores: number;
}

export function wasmThreads(env: Pick<EngineEnvironment, 'isolated' | 'cores'>): number {
  return env.isolated ? Math.max(1, Math.floor(env.cores) || 1) : 1;
}

/** The CPU + WASM backend's info; `reason` says why it runs (and the thread count is explained). */
export function cpuInfo(choice: BackendChoice, reason: string, env: Pick<EngineEnvironment, 'isolated' | 'cores'>): BackendInfo {
  const threads = wasmThreads(env);
  const label = `CPU + WASM (${threads} thread${threads === 1 ? '' : 's'})`;
  const why = env.isolated ? reason : `${reason}; single-threaded: the page is not cross-origin isolated (e.g. inside another site's frame)`;
  return { choice, kind: 'cpu', label, reason: why, threads, isolated: env.isolated };
}

export async function chooseBackend(choice: BackendChoice, env: EngineEnvironment): Promise<{ backend: Backend; info: BackendInfo }> {
  const cpu = (reason: string) => ({ backend: createCpuBackend(), info: cpuInfo(choice, reason, env) });
  if (choice === 'cpu') return cpu('chosen instead of Auto, which picks WebGPU on a hardware adapter');
  let acquired: AcquiredDevice;
  try {
    acquired = await requestDevice(env.gpu);
  } catch (e) {
    return cpu((e as Error).message);
  }
  const adapter = classifyAdapter(acquired.adapterFacts);
  if (choice === 'auto' && adapter.kind === 'software') {
    acquired.device.destroy();
    return cpu(`software WebGPU adapter (${acquired.adapterDescription}) would be slower`);
  }
  const backend = createWebGpuBackend(acquired.device, acquired.adapterDescription);
  const reason = choice === 'auto' ? adapter.reason
    : adapter.kind === 'software' ? `chosen, on a software adapter (${acquired.adapterDescription}): slower than CPU + WASM` : `chosen; ${adapter.reason}`;
  return {
    backend,
    info: { choice, kind: 'webgpu', label: backend.description, reason, threads: wasmThreads(env), isolated: env.isolated },
  };
}
