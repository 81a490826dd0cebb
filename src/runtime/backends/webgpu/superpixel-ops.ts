/** WGSL implementations of SuperpixelOps. */
import type { SuperpixelOps } from '../ops/superpixel-ops.ts';
import type { GpuContext } from './gpu-context.ts';

export function gpuSuperpixelOps(_gpu: GpuContext): SuperpixelOps {
  return {};
}
