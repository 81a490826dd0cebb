/** The k-means assignment step on the GPU (kernels/kmeans-assign.wgsl.ts). */
import type { GpuContext } from './gpu-context.ts';
import { linear, type Scratch } from './kernel.ts';
import { KMEANS_ASSIGN } from './kernels/kmeans-assign.wgsl.ts';

/** Encodes one assignment pass; `labels` receives int32 [n]. */
export function runAssign(
  gpu: GpuContext, s: Scratch, tokens: GPUBuffer, centres: GPUBuffer, labels: GPUBuffer, n: number, c: number, k: number,
): void {
  const groups = linear(n);
  if (groups[1] > 1) throw new Error(`kmeansAssign: ${n} tokens is more than one dispatch row can cover`);
  gpu.run([{ kernel: KMEANS_ASSIGN, buffers: [tokens, centres, labels, s.uniform([n, c, k, 0], 'kmeans-assign params')], groups }]);
}
