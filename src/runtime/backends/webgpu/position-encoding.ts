/**
 * DISCO's sine position encoding [1,64,h,w] (docs/disco-method.md §7) on the GPU
 * (kernels/position-encoding.wgsl.ts), one invocation per value.
 * The 32 frequencies 10000^(2*floor(i/2)/32) come from the CPU (posencDims) as float32: WGSL's pow
 * is only accurate to a few ulp, while the table is the reference's exact float32 values. sin and
 * cos are evaluated by our own polynomial: WGSL only promises 2^-11 absolute error for the builtins
 * (SwiftShader's are off by 1.9e-4), while the reference tolerance is 2e-6.
 */
import type { GpuTensor } from '../../values/tensor.ts';
import { checkGrid, posencDims, POS_FEATS } from '../common/position-encoding.ts';
import type { GpuContext } from './gpu-context.ts';
import { WG, withScratch } from './kernel.ts';
import { POSITION_ENCODING } from './kernels/position-encoding.wgsl.ts';

export async function positionEncodingGpu(gpu: GpuContext, h: number, w: number): Promise<GpuTensor> {
  checkGrid(h, w);
  const total = 2 * POS_FEATS * h * w;
  const groups = Math.ceil(total / WG);
  const gx = Math.min(groups, gpu.device.limits.maxComputeWorkgroupsPerDimension);
  const gy = Math.ceil(groups / gx);
  const out = gpu.gpuTensor([1, 2 * POS_FEATS, h, w], 'float32', 'position encoding');
  return withScratch(gpu, (s) => {
    const dims = s.storage(POS_FEATS, 'posenc dims');
    gpu.device.queue.writeBuffer(dims, 0, posencDims());
    gpu.run([{ kernel: POSITION_ENCODING, buffers: [dims, out.buffer, s.uniform([h, w, gx * WG, 0], 'posenc params')], groups: [gx, gy, 1] }]);
    return out;
  });
}
