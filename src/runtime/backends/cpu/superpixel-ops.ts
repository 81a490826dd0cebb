/** CPU reference implementations of SuperpixelOps (the array kernels live in the files imported below). */
import { cpuTensor, cpuTensorI32, type Tensor } from '../../values/tensor.ts';
import type { ImageValue } from '../../values/types.ts';
import { gridOf, OVERLAY_RGB, pixelChannels, spGrid, tokenChannels, type SuperpixelOps } from '../ops/superpixel-ops.ts';
import { checkImage, checkPropagateOptions, checkSlicOptions } from '../common/superpixel-checks.ts';
import { drawBoundaries } from '../common/sp-overlay.ts';
import { propagateArrays } from './propagate.ts';
import { slicArrays } from './slic.ts';
import { spDiffuseArrays } from './sp-diffuse.ts';
import { spPoolArrays } from './sp-pool.ts';
import { hardLabelsArrays, spSizesArrays } from './sp-sizes.ts';

/** The float32 data of a CPU tensor, or a clear error. */
function f32(t: Tensor, what: string): Float32Array {
  if (t.location !== 'cpu') throw new Error(`${what}: the CPU backend was handed a GPU tensor`);
  if (!(t.data instanceof Float32Array)) throw new Error(`${what}: expected float32, got ${t.dtype}`);
  return t.data;
}

export const cpuSuperpixelOps: SuperpixelOps = {
  async spPool(x, assoc, cell) {
    const g = spGrid(assoc, cell);
    const C = pixelChannels(x, g, 'SP-Pooling input');
    const { pooled, mass } = spPoolArrays(f32(x, 'SP-Pooling input'), C, f32(assoc, 'association map'), g);
    return { pooled: cpuTensor([1, C, g.h, g.w], pooled), mass: cpuTensor([1, 1, g.h, g.w], mass) };
  },

  async spDiffuse(tokens, assoc, cell) {
    const g = spGrid(assoc, cell);
    const C = tokenChannels(tokens, g, 'SP-Diffusion tokens');
    return cpuTensor([1, C, g.H, g.W], spDiffuseArrays(f32(tokens, 'SP-Diffusion tokens'), C, f32(assoc, 'association map'), g));
  },

  async spSizes(assoc, cell) {
    const g = spGrid(assoc, cell);
    return cpuTensor([1, 1, g.h, g.w], spSizesArrays(f32(assoc, 'association map'), g));
  },

  async hardLabels(assoc, cell) {
    const g = spGrid(assoc, cell);
    return cpuTensorI32([1, 1, g.H, g.W], hardLabelsArrays(f32(assoc, 'association map'), g));
  },

  async slicAffinity(lab, opts) {
    checkSlicOptions(opts);
    if (lab.shape.length !== 4 || lab.shape[0] !== 1 || lab.shape[1] !== 3) throw new Error(`SLIC: expected Lab [1,3,H,W], got [${lab.shape.join(',')}]`);
    const g = gridOf(lab.shape[2], lab.shape[3], opts.cell, 'SLIC input');
    return cpuTensor([1, 9, g.H, g.W], slicArrays(f32(lab, 'SLIC input'), g, opts));
  },

  async propagateSeeds(tokens, seeds, opts) {
    checkPropagateOptions(opts);
    if (tokens.shape.length !== 4 || tokens.shape[0] !== 1) throw new Error(`colour propagation: expected tokens [1,C,h,w], got [${tokens.shape.join(',')}]`);
    const [, C, h, w] = tokens.shape;
    return cpuTensor([1, 2, h, w], propagateArrays(f32(tokens, 'colour propagation tokens'), C, h, w, seeds, opts));
  },

  async superpixelOverlay(image, assoc, cell, rgb = OVERLAY_RGB) {
    checkImage(image);
    const g = spGrid(assoc, cell);
    return drawBoundaries(image, hardLabelsArrays(f32(assoc, 'association map'), g), g.H, g.W, rgb);
  },
};
