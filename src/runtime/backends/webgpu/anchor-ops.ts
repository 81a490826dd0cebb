/**
 * WGSL implementations of AnchorOps. The position encoding and the `kmeansAssign` op are kernels.
 * k-means itself runs on the CPU after ONE readback of the tokens: its loop is data dependent (stop
 * on the centre shift, refill empty clusters from the seeded generator), so a GPU assignment step
 * would need a readback per iteration, and each readback waits for everything queued on the device.
 * That made the Anchor Locator one of the slowest stages on a software adapter while its arithmetic
 * (n tokens x K centres x C values, at most 20 times) is microseconds of CPU work. The assignment
 * runs the CPU reference (assignCpu), so labels are the CPU backend's exactly.
 */
import type { AnchorOps } from '../ops/anchor-ops.ts';
import type { Tensor } from '../../values/tensor.ts';
import { kmeansCpu } from '../cpu/kmeans.ts';
import { tokenRows } from '../common/kmeans-loop.ts';
import { pickAnchors } from '../common/pick-anchors.ts';
import type { GpuContext } from './gpu-context.ts';
import { withScratch } from './kernel.ts';
import { runAssign } from './kmeans-assign.ts';
import { positionEncodingGpu } from './position-encoding.ts';

function checkTokens(tokens: Tensor, what: string): { n: number; c: number } {
  if (tokens.shape.length !== 4 || tokens.shape[0] !== 1 || tokens.dtype !== 'float32') {
    throw new Error(`${what}: expected float32 tokens [1,C,h,w], got ${tokens.dtype}[${tokens.shape.join('x')}]`);
  }
  return { n: tokens.shape[2] * tokens.shape[3], c: tokens.shape[1] };
}

export function gpuAnchorOps(gpu: GpuContext): AnchorOps {
  async function kmeans(tokens: Tensor, opts: Parameters<AnchorOps['kmeans']>[1]) {
    checkTokens(tokens, 'kmeans');
    const host = await gpu.download(tokens); // the one readback of a k-means run
    return kmeansCpu(tokenRows(host.shape, host.data), opts);
  }

  return {
    async positionEncoding(h, w) {
      return positionEncodingGpu(gpu, h, w);
    },

    async kmeansAssign(tokens, centres) {
      const { n, c } = checkTokens(tokens, 'kmeansAssign');
      if (centres.shape.length !== 2 || centres.shape[1] !== c || centres.shape[0] < 1) {
        throw new Error(`kmeansAssign: centres must be [K,${c}], got [${centres.shape.join('x')}]`);
      }
      return withScratch(gpu, (s) => {
        const labels = gpu.gpuTensor([n], 'int32', 'kmeans labels');
        runAssign(gpu, s, s.input(tokens).buffer, s.input(centres).buffer, labels.buffer, n, c, centres.shape[0]);
        return labels;
      });
    },

    kmeans,

    async locateAnchors(tokens, sizes, opts) {
      const result = await kmeans(tokens, opts);
      const s = await gpu.download(sizes); // n floats, needed by the CPU-side picking
      return { ...result, ...pickAnchors(result.labels, s.data, opts.k) };
    },
  };
}
