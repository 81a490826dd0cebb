/**
 * Colour propagation over the token grid on WebGPU (WGSL in kernels/propagate.wgsl.ts); the method is documented in
 * ../cpu/propagate.ts (the reference this is tested against): neighbour weights, the feature-space
 * initial guess, then Jacobi sweeps ping-ponging between two buffers, all in one submission.
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import type { GpuContext } from './gpu-context.ts';
import { tiles, type Pass, type Scratch } from './kernel.ts';
import { PROPAGATE_INIT, PROPAGATE_JACOBI, PROPAGATE_WEIGHTS } from './kernels/propagate.wgsl.ts';
import { gridUniform } from './sp-common.ts';





export interface SeedBuffers {
  /** int32 [K] token index per seed. */
  readonly cells: GPUBuffer;
  /** float32 [K,2] normalised ab per seed. */
  readonly ab: GPUBuffer;
  /** int32 [h*w] seed index per token or -1. */
  readonly fixed: GPUBuffer;
  readonly count: number;
}

/** Writes the propagated normalised ab [2,h,w] into `out`. */
export function runPropagate(
  gpu: GpuContext, scratch: Scratch, g: SpGrid, C: number, tokens: GPUBuffer, seeds: SeedBuffers,
  sigma: number, iterations: number, out: GPUBuffer,
): void {
  const n = g.h * g.w;
  const u = gridUniform(scratch, g, { C, K: seeds.count, s0: 1 / (sigma * sigma) });
  const wts = scratch.storage(8 * n, 'propagate-weights');
  const other = scratch.storage(2 * n, 'propagate-pingpong');
  // Ping-pong so that the last sweep writes into `out`.
  let cur = iterations % 2 === 0 ? out : other;
  let next = cur === out ? other : out;
  const passes: Pass[] = [
    { kernel: PROPAGATE_WEIGHTS, buffers: [tokens, wts, u], groups: tiles(g.w, g.h) },
    { kernel: PROPAGATE_INIT, buffers: [tokens, seeds.cells, seeds.ab, seeds.fixed, cur, u], groups: tiles(g.w, g.h) },
  ];
  for (let it = 0; it < iterations; it++) {
    passes.push({ kernel: PROPAGATE_JACOBI, buffers: [wts, seeds.fixed, cur, next, u], groups: tiles(g.w, g.h) });
    [cur, next] = [next, cur];
  }
  gpu.run(passes, 'propagate');
}
