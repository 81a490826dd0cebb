/**
 * What the engine needs from Node: image files (HostIO), model sets on disk (ModelHost) and a
 * backend. In Node the CPU backend is the default: the only WebGPU adapter on machines without a
 * GPU is a software one, slower than the TypeScript kernels. `--backend webgpu` opts in.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Backend } from '../runtime/backends/backend.ts';
import { createCpuBackend } from '../runtime/backends/cpu/cpu-backend.ts';
import type { HostIO, ModelHost } from '../runtime/engine/context.ts';
import { decodeImage, ImageInputError, sha256Hex } from './image-io.ts';

export interface NodeIOOptions {
  /** Relative image paths in a workflow resolve against this folder (the workflow file's). */
  readonly baseDir: string;
  readonly pixelLimit?: number;
  /** Bytes a run may use; see decodeImage. */
  readonly memoryBudget?: number;
}

export function createNodeIO(opts: NodeIOOptions): HostIO {
  const bytesOf = async (ref: string): Promise<{ path: string; bytes: Buffer }> => {
    if (!ref) throw new ImageInputError('no image given: pass --input <image> or set the Load Image node\'s "image" parameter');
    const path = isAbsolute(ref) ? ref : resolve(opts.baseDir, ref);
    try {
      return { path, bytes: await readFile(path) };
    } catch (e) {
      throw new ImageInputError(`${ref}: cannot read the image file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  };
  return {
    async loadImage(ref) {
      const { bytes } = await bytesOf(ref);
      return decodeImage(bytes, { name: ref, pixelLimit: opts.pixelLimit, memoryBudget: opts.memoryBudget });
    },
    async fingerprint(ref) {
      return sha256Hex((await bytesOf(ref)).bytes);
    },
  };
}

export async function createNodeBackend(kind: 'cpu' | 'webgpu'): Promise<{ backend: Backend; close(): void }> {
  if (kind === 'cpu') return { backend: createCpuBackend(), close() {} };
  const { requestNodeDevice } = await import('../runtime/backends/webgpu/node-gpu.ts');
  const { createWebGpuBackend } = await import('../runtime/backends/webgpu/webgpu-backend.ts');
  const device = await requestNodeDevice();
  return { backend: createWebGpuBackend(device.device, device.adapterDescription), close: device.close };
}

/** Model sets from the repository's `models/` folder (or `modelsDir`), run by onnxruntime-node. */
export async function createNodeModels(modelsDir?: string, backend?: Backend): Promise<ModelHost> {
  const { createFsModelHost } = await import('./fs-models.ts');
  return createFsModelHost(modelsDir, backend);
}
