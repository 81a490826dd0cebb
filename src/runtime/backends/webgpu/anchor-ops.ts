/** WGSL implementations of AnchorOps. */
import type { AnchorOps } from '../ops/anchor-ops.ts';
import type { GpuContext } from './gpu-context.ts';

export function gpuAnchorOps(_gpu: GpuContext): AnchorOps {
  return {};
}
