/**
 * WGSL implementations of AnchorOps. The position encoding and the k-means assignment step are
 * kernels. The rest of k-means (centre update, empty-cluster refill, stopping test) and the anchor
 * picking run on the CPU: the loop is data dependent and tiny (256 tokens x 64 values, at most 20
 * iterations), so each iteration reads back only n int32 labels, and the token data itself is read
 * back once per run.
 */
import type { AnchorOps } from '../ops/anchor-ops.ts';
import type { Tensor } from '../../values/tensor.ts';
import { kmeansLoop, tokenRows } from '../shared/kmeans-loop.ts';
import { pickAnchors } from '../shared/pick-anchors.ts';
import type { GpuContext } from './gpu-context.ts';
import { dispatchAssign } from './kmeans-assign.ts';
import { positionEncodingGpu } from './position-encoding.ts';

function checkTokens(tokens: Tensor, what: string): { n: number; c: number } {
  if (tokens.shape.length !== 4 || tokens.shape[0] !== 1 || tokens.dtype !== 'float32') {
    throw new Error(`${what}: expected float32 tokens [1,C,h,w], got ${tokens.dtype}[${tokens.shape.join('x')}]`);
  }
  return { n: tokens.shape[2] * tokens.shape[3], c: tokens.shape[1] };
}

export function gpuAnchorOps(gpu: GpuContext): AnchorOps {
  async function kmeans(tokens: Tensor, opts: Parameters<AnchorOps['kmeans']>[1]) {
    const { n, c } = checkTokens(tokens, 'kmeans');
    // The update step needs the token values on the CPU: one readback per run.
    const host = await gpu.download(tokens);
    const rows = tokenRows(host.shape, host.data);
    const tok = gpu.upload(tokens);
    const centres = gpu.storage(opts.k * c, 'kmeans centres');
    const labels = gpu.gpuTensor([n], 'int32', 'kmeans labels');
    try {
      return await kmeansLoop(rows, opts, async (cs) => {
        gpu.device.queue.writeBuffer(centres, 0, cs.buffer as ArrayBuffer, cs.byteOffset, cs.byteLength);
        dispatchAssign(gpu, tok.buffer, centres, labels.buffer, n, c, opts.k);
        return (await gpu.download(labels)).data as Int32Array;
      });
    } finally {
      if (tok !== tokens) tok.buffer.destroy();
      centres.destroy();
      labels.buffer.destroy();
    }
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
      const tok = gpu.upload(tokens);
      const cs = gpu.upload(centres);
      const labels = gpu.gpuTensor([n], 'int32', 'kmeans labels');
      dispatchAssign(gpu, tok.buffer, cs.buffer, labels.buffer, n, c, centres.shape[0]);
      if (tok !== tokens) tok.buffer.destroy();
      if (cs !== centres) cs.buffer.destroy();
      return labels;
    },

    kmeans,

    async locateAnchors(tokens, sizes, opts) {
      const result = await kmeans(tokens, opts);
      const s = await gpu.download(sizes); // n floats, needed by the CPU-side picking
      return { ...result, ...pickAnchors(result.labels, s.data, opts.k) };
    },
  };
}
