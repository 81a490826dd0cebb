/** WGSL implementations of ColorOps. */
import type { ColorOps } from '../ops/color-ops.ts';
import type { GpuContext } from './gpu-context.ts';

export function gpuColorOps(_gpu: GpuContext): ColorOps {
  return {};
}
