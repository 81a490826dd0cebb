/** Option and input checks of the training-free superpixel stages, shared by the CPU and WGSL kernels. */
import type { ImageValue } from '../../values/types.ts';
import type { PropagateOptions, SlicOptions } from '../ops/superpixel-ops.ts';

/** SLIC's per-pixel features: L, a, b, y, x. */
export const SLIC_FEATURES = 5;

export function checkSlicOptions(opts: SlicOptions): void {
  if (!Number.isInteger(opts.iterations) || opts.iterations < 1) throw new Error(`SLIC: iterations must be a whole number >= 1, got ${opts.iterations}`);
  if (!(opts.compactness > 0) || !Number.isFinite(opts.compactness)) throw new Error(`SLIC: compactness must be a positive number, got ${opts.compactness}`);
}

export function checkPropagateOptions(opts: PropagateOptions): void {
  if (!(opts.sigma > 0) || !Number.isFinite(opts.sigma)) throw new Error(`colour propagation: sigma must be a positive number, got ${opts.sigma}`);
  if (!Number.isInteger(opts.iterations) || opts.iterations < 0) throw new Error(`colour propagation: iterations must be a whole number >= 0, got ${opts.iterations}`);
}

export function checkImage(image: ImageValue): void {
  if (image.width < 1 || image.height < 1 || image.data.length !== image.width * image.height * 4) {
    throw new Error(`superpixel overlay: image ${image.width}x${image.height} must have width*height*4 bytes, has ${image.data.length}`);
  }
}
