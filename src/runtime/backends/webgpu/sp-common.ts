/** The `Grid` uniform of the superpixel kernels (kernels/superpixel.wgsl.ts), bound last by each of them. */
import type { SpGrid } from '../ops/superpixel-ops.ts';
import type { Scratch } from './kernel.ts';

export interface GridParams {
  C?: number;
  K?: number;
  s0?: number;
  s1?: number;
}

export function gridUniform(s: Scratch, g: SpGrid, p: GridParams = {}): GPUBuffer {
  return s.uniform([g.H, g.W, g.h, g.w, g.cell, p.C ?? 0, p.K ?? 0, { f: p.s0 ?? 0 }, { f: p.s1 ?? 0 }], 'sp-grid');
}
