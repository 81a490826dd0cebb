/**
 * What the engine needs from Node: image files (HostIO), model sets on disk (ModelHost) and a
 * backend. In Node the CPU backend is the default: the only WebGPU adapter on machines without a
 * GPU is a software one, slower than the TypeScript kernels, and loading Dawn to find out costs
 * start-up time. `--backend auto` asks: WebGPU on a hardware adapter, else CPU (classifyAdapter,
 * the editor's rule too). `--backend webgpu` forces WebGPU.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import type { Backend } from '../runtime/backends/backend.ts';
import { classifyAdapter } from '../runtime/backends/adapter-kind.ts';
import { createCpuBackend } from '../runtime/backends/cpu/cpu-backend.ts';
import { useHostKernels } from '../runtime/backends/cpu/host-kernels.ts';
import { nativeKernels, nativeLabToRgba, nativeResizePlanes, nativeRgbaToLab } from '../runtime/backends/cpu/native/native-kernels.ts';
import { preferKernels } from '../runtime/backends/cpu/simd/simd.ts';
import { startKernelThreads, type KernelThreads } from '../runtime/backends/cpu/simd/sp-threads.ts';
import { WebGpuUnavailable } from '../runtime/backends/webgpu/device.ts';
import type { HostIO, ModelHost } from '../runtime/engine/context.ts';
import { MAX_IMAGE_FILE_BYTES, readRegularFileSync } from '../runtime/read-regular-file.ts';
import { decodePlainPng, decodeWithSharp, ImageInputError, sha256Hex } from './image-io.ts';

export interface NodeIOOptions {
  /** Relative image paths in a workflow resolve against this folder (the workflow file's). */
  readonly baseDir: string;
  readonly pixelLimit?: number;
  /** Bytes a run may use; see decodeImage. */
  readonly memoryBudget?: number;
}

/**
 * Photos are read into one buffer kept for the process: a fresh buffer per run is fresh memory, and
 * touching it cost more than the read itself (a 175 kB PNG's read took 0.45 ms in a pipeline run,
 * 0.26 into the kept buffer; bench/README.md). `reads` counts the reads into it, so a fingerprint's
 * bytes are known to be still there.
 */
const photoBytes = { buffer: Buffer.alloc(0), reads: 0 };
/** Larger files get a buffer of their own: a huge photo's bytes should not stay for the whole process. */
const KEPT_PHOTO_BYTES = 16 * 1024 * 1024;

function photoScratch(bytes: number): Buffer {
  photoBytes.reads++;
  if (bytes > KEPT_PHOTO_BYTES) return Buffer.allocUnsafe(bytes);
  if (photoBytes.buffer.length < bytes) photoBytes.buffer = Buffer.allocUnsafe(bytes);
  return photoBytes.buffer;
}

export function createNodeIO(opts: NodeIOOptions): HostIO {
  // Read synchronously: a photo takes well under a millisecond to read, less than the thread-pool
  // hand-offs of an asynchronous read (read-regular-file.ts).
  const bytesOf = (ref: string): Buffer => {
    if (!ref) throw new ImageInputError('no image given: pass --input <image> or set the Load Image node\'s "image" parameter');
    const path = isAbsolute(ref) ? ref : resolve(opts.baseDir, ref);
    try {
      return readRegularFileSync(path, { what: 'image file', name: ref, maxBytes: MAX_IMAGE_FILE_BYTES, into: photoScratch });
    } catch (e) {
      throw new ImageInputError((e as Error).message);
    }
  };
  // The executor asks for a Load Image node's fingerprint right before loading it: the bytes just
  // hashed are the ones decoded (one read instead of two, and no change of the file in between),
  // unless another run in this thread has read a photo into the buffer since.
  let hashed: { ref: string; bytes: Buffer; read: number } | undefined;
  return {
    async loadImage(ref) {
      const bytes = hashed?.ref === ref && hashed.read === photoBytes.reads ? hashed.bytes : bytesOf(ref);
      hashed = undefined;
      const decodeOpts = { name: ref, pixelLimit: opts.pixelLimit, memoryBudget: opts.memoryBudget };
      // sharp decodes asynchronously, while another run may read into the buffer: it gets a copy.
      return decodePlainPng(bytes, decodeOpts) ?? decodeWithSharp(Buffer.from(bytes), ref, decodeOpts);
    },
    async fingerprint(ref) {
      const bytes = bytesOf(ref);
      hashed = { ref, bytes, read: photoBytes.reads };
      return sha256Hex(bytes);
    },
  };
}

export type BackendChoice = 'cpu' | 'webgpu' | 'auto';

let kernelThreads: KernelThreads | null | undefined;

/**
 * SP-Pool, SP-Diffuse, the superpixel sizes, RGB -> Lab, Lab -> RGBA and resizes on `threads` threads (the
 * cores this process may use; default: all) from now on: the native kernels where `npm run setup`
 * built them (native-kernels.ts), else, with 2 threads or more, the WebAssembly superpixel kernels
 * with a helper thread started once per process and kept (sp-threads.ts).
 */
export function useKernelThreads(threads = availableParallelism()): void {
  const n = Math.max(1, threads);
  const native = nativeKernels(n);
  if (native) {
    preferKernels(native);
    useHostKernels({ rgbaToLab: nativeRgbaToLab(n) ?? undefined, labToRgba: nativeLabToRgba(n) ?? undefined, resizePlanes: nativeResizePlanes(n) ?? undefined });
    return;
  }
  if (threads < 2 || kernelThreads !== undefined) return;
  kernelThreads = startKernelThreads();
  if (kernelThreads) preferKernels(kernelThreads.kernels);
}

/**
 * The backend for `--backend`. `say` gets one line when the choice needs explaining: what `auto`
 * picked and why, or that a forced WebGPU runs on a software adapter. `threads`: the cores the CPU
 * kernels may use (default: all; a batch worker sharing the cores passes its share).
 */
export async function createNodeBackend(kind: BackendChoice, say: (line: string) => void = () => {}, threads?: number): Promise<{ backend: Backend; close(): void }> {
  const cpu = () => {
    useKernelThreads(threads);
    return { backend: createCpuBackend(), close() {} };
  };
  if (kind === 'cpu') return cpu();
  const { requestNodeDevice } = await import('../runtime/backends/webgpu/node-gpu.ts');
  const { createWebGpuBackend } = await import('../runtime/backends/webgpu/webgpu-backend.ts');
  let device;
  try {
    device = await requestNodeDevice();
  } catch (e) {
    if (kind === 'webgpu' || !(e instanceof WebGpuUnavailable)) throw e;
    say(`backend: cpu (${e.message})`);
    return cpu();
  }
  const adapter = classifyAdapter(device.adapterFacts);
  if (kind === 'auto' && adapter.kind === 'software') {
    device.close();
    say(`backend: cpu (WebGPU adapter ${adapter.reason}, slower than the CPU kernels)`);
    return cpu();
  }
  if (kind === 'auto') say(`backend: webgpu (${adapter.reason})`);
  else if (adapter.kind === 'software') say(`backend: webgpu on ${adapter.reason}: expect it to be slower than --backend cpu`);
  return { backend: createWebGpuBackend(device.device, device.adapterDescription), close: device.close };
}

/**
 * Model sets from the repository's `models/` folder (or `modelsDir`), run by onnxruntime-node with
 * `threads` intra-op threads (default: one per core; a batch worker sharing the cores takes fewer).
 */
export async function createNodeModels(modelsDir?: string, backend?: Backend, threads?: number): Promise<ModelHost> {
  const { createFsModelHost } = await import('./fs-models.ts');
  return createFsModelHost(modelsDir, backend, threads);
}
