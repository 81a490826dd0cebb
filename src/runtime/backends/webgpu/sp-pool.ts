/**
 * Passes of the superpixel kernels (docs/disco-method.md §6; WGSL in kernels/superpixel.wgsl.ts),
 * checked against the CPU references in ../cpu.
 */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import { tiles, type Pass } from './kernel.ts';
import { SP_DIFFUSE, SP_LABELS, SP_POOL, SP_SIZES } from './kernels/superpixel.wgsl.ts';

/** pooled [C,h,w] and mass [h,w] of x [C,H,W] over A. */
export function poolPass(g: SpGrid, C: number, x: GPUBuffer, A: GPUBuffer, pooled: GPUBuffer, mass: GPUBuffer, uniform: GPUBuffer): Pass {
  return { kernel: SP_POOL, buffers: [x, A, pooled, mass, uniform], groups: tiles(g.w, g.h, C) };
}

export function diffusePass(g: SpGrid, t: GPUBuffer, A: GPUBuffer, out: GPUBuffer, uniform: GPUBuffer): Pass {
  return { kernel: SP_DIFFUSE, buffers: [t, A, out, uniform], groups: tiles(g.W, g.H) };
}

export function sizesPass(g: SpGrid, A: GPUBuffer, sizes: GPUBuffer, uniform: GPUBuffer): Pass {
  return { kernel: SP_SIZES, buffers: [A, sizes, uniform], groups: tiles(g.w, g.h) };
}

export function labelsPass(g: SpGrid, A: GPUBuffer, labels: GPUBuffer, uniform: GPUBuffer): Pass {
  return { kernel: SP_LABELS, buffers: [A, labels, uniform], groups: tiles(g.W, g.H) };
}
