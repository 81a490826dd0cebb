/**
 * Soft SLIC on WebGPU (WGSL in kernels/slic.wgsl.ts); the algorithm and feature scaling are documented in ../cpu/slic.ts (the
 * reference this is tested against). All steps go into one submission; the centre update reuses
 * the SP-Pooling kernel.
 */
import { SLIC_COLOR_UNIT, type SlicOptions, type SpGrid } from '../ops/superpixel-ops.ts';
import { SLIC_FEATURES } from '../common/superpixel-checks.ts';
import type { GpuContext } from './gpu-context.ts';
import { tiles, type Pass, type Scratch } from './kernel.ts';
import { SLIC_ASSIGN, SLIC_CELL_MEAN, SLIC_FEATURES_K } from './kernels/slic.wgsl.ts';
import { gridUniform } from './sp-common.ts';
import { poolPass } from './sp-pool.ts';




/** Writes the final association map of `lab` [3,H,W] into `out` [9,H,W]. */
export function runSlic(gpu: GpuContext, scratch: Scratch, g: SpGrid, lab: GPUBuffer, out: GPUBuffer, opts: SlicOptions): void {
  const C = SLIC_FEATURES;
  // Feature scales (s0 colour, s1 position), as in the CPU reference.
  const u = gridUniform(scratch, g, { C, s0: 1 / SLIC_COLOR_UNIT, s1: opts.compactness / (g.cell * SLIC_COLOR_UNIT) });
  // The pool kernel reads s0 as 1/cell^2, so it gets its own uniform.
  const uPool = gridUniform(scratch, g, { C, s0: 1 / (g.cell * g.cell) });
  const f = scratch.storage(C * g.H * g.W, 'slic-features');
  const centres = scratch.storage(C * g.h * g.w, 'slic-centres');
  const mass = scratch.storage(g.h * g.w, 'slic-mass');
  const passes: Pass[] = [
    { kernel: SLIC_FEATURES_K, buffers: [lab, f, u], groups: tiles(g.W, g.H) },
    { kernel: SLIC_CELL_MEAN, buffers: [f, centres, u], groups: tiles(g.w, g.h, C) },
  ];
  const assign: Pass = { kernel: SLIC_ASSIGN, buffers: [f, centres, out, u], groups: tiles(g.W, g.H) };
  passes.push(assign);
  for (let it = 1; it < opts.iterations; it++) {
    passes.push(poolPass(g, C, f, out, centres, mass, uPool), assign);
  }
  gpu.run(passes, 'slic');
}
