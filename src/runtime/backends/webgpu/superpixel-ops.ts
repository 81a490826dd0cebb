/** WGSL implementations of SuperpixelOps. Results stay on the GPU; only the overlay reads back. */
import { cpuTensor, cpuTensorI32, type GpuTensor } from '../../values/tensor.ts';
import { gridOf, OVERLAY_RGB, pixelChannels, seedIndex, spGrid, tokenChannels, type SuperpixelOps } from '../ops/superpixel-ops.ts';
import { AB_SCALE } from '../common/ab-bins.ts';
import { drawBoundaries } from '../common/sp-overlay.ts';
import { checkImage, checkPropagateOptions, checkSlicOptions } from '../common/superpixel-checks.ts';
import type { GpuContext } from './gpu-context.ts';
import { runPropagate } from './propagate.ts';
import { runSlic } from './slic.ts';
import { withScratch as scratchFor, type Scratch } from './kernel.ts';
import { gridUniform } from './sp-common.ts';
import { diffusePass, labelsPass, poolPass, sizesPass } from './sp-pool.ts';

export function gpuSuperpixelOps(gpu: GpuContext): SuperpixelOps {
  const withScratch = <T>(body: (s: Scratch) => T | Promise<T>): Promise<T> => scratchFor(gpu, body);

  const labels = (assoc: GpuTensor, cell: number, s: Scratch): GpuTensor => {
    const g = spGrid(assoc, cell);
    const out = gpu.gpuTensor([1, 1, g.H, g.W], 'int32', 'sp-labels');
    gpu.run([labelsPass(g, assoc.buffer, out.buffer, gridUniform(s, g))]);
    return out;
  };

  return {
    async spPool(x, assoc, cell) {
      const g = spGrid(assoc, cell);
      const C = pixelChannels(x, g, 'SP-Pooling input');
      return withScratch((s) => {
        const pooled = gpu.gpuTensor([1, C, g.h, g.w], 'float32', 'sp-pooled');
        const mass = gpu.gpuTensor([1, 1, g.h, g.w], 'float32', 'sp-mass');
        const u = gridUniform(s, g, { C, s0: 1 / (cell * cell) });
        gpu.run([poolPass(g, C, s.input(x).buffer, s.input(assoc).buffer, pooled.buffer, mass.buffer, u)]);
        return { pooled, mass };
      });
    },

    async spDiffuse(tokens, assoc, cell) {
      const g = spGrid(assoc, cell);
      const C = tokenChannels(tokens, g, 'SP-Diffusion tokens');
      return withScratch((s) => {
        const out = gpu.gpuTensor([1, C, g.H, g.W], 'float32', 'sp-diffused');
        const u = gridUniform(s, g, { C });
        gpu.run([diffusePass(g, s.input(tokens).buffer, s.input(assoc).buffer, out.buffer, u)]);
        return out;
      });
    },

    async spSizes(assoc, cell) {
      const g = spGrid(assoc, cell);
      return withScratch((s) => {
        const out = gpu.gpuTensor([1, 1, g.h, g.w], 'float32', 'sp-sizes');
        const u = gridUniform(s, g, { s0: 1 / (cell * cell) });
        gpu.run([sizesPass(g, s.input(assoc).buffer, out.buffer, u)]);
        return out;
      });
    },

    async hardLabels(assoc, cell) {
      return withScratch((s) => labels(s.input(assoc), cell, s));
    },

    async slicAffinity(lab, opts) {
      checkSlicOptions(opts);
      if (lab.shape.length !== 4 || lab.shape[0] !== 1 || lab.shape[1] !== 3) throw new Error(`SLIC: expected Lab [1,3,H,W], got [${lab.shape.join(',')}]`);
      const g = gridOf(lab.shape[2], lab.shape[3], opts.cell, 'SLIC input');
      return withScratch((s) => {
        const out = gpu.gpuTensor([1, 9, g.H, g.W], 'float32', 'slic-assoc');
        runSlic(gpu, s, g, s.input(lab).buffer, out.buffer, opts);
        return out;
      });
    },

    async propagateSeeds(tokens, seeds, opts) {
      checkPropagateOptions(opts);
      if (tokens.shape.length !== 4 || tokens.shape[0] !== 1) throw new Error(`colour propagation: expected tokens [1,C,h,w], got [${tokens.shape.join(',')}]`);
      const [, C, h, w] = tokens.shape;
      const g = gridOf(h, w, 1, 'colour propagation tokens'); // a token grid: only h and w matter
      const fixed = seedIndex(seeds, h, w);
      return withScratch((s) => {
        // Seeds come from the ANCHORS value, which lives on the CPU: uploading them costs no readback.
        const buffers = {
          cells: s.input(cpuTensorI32([seeds.length], Int32Array.from(seeds, (x) => x.cell))).buffer,
          ab: s.input(cpuTensor([seeds.length, 2], Float32Array.from(seeds.flatMap((x) => [x.ab[0] / AB_SCALE, x.ab[1] / AB_SCALE])))).buffer,
          fixed: s.input(cpuTensorI32([h * w], fixed)).buffer,
          count: seeds.length,
        };
        const out = gpu.gpuTensor([1, 2, h, w], 'float32', 'propagated-ab');
        runPropagate(gpu, s, { ...g, h, w }, C, s.input(tokens).buffer, buffers, opts.sigma, opts.iterations, out.buffer);
        return out;
      });
    },

    async superpixelOverlay(image, assoc, cell, rgb = OVERLAY_RGB) {
      checkImage(image);
      const g = spGrid(assoc, cell);
      // An IMAGE is CPU bytes, so the labels must come back: one int32 readback at the map's size.
      return withScratch(async (s) => {
        const lab = s.keep(labels(s.input(assoc), cell, s).buffer);
        const cpu = await gpu.download({ location: 'gpu', dtype: 'int32', shape: [g.H * g.W], buffer: lab });
        return drawBoundaries(image, cpu.data as Int32Array, g.H, g.W, rgb);
      });
    },
  };
}
