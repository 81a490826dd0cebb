/** CPU reference implementations of AnchorOps. */
import type { AnchorOps } from '../ops/anchor-ops.ts';
import { cpuTensorI32, type CpuTensor, type Tensor } from '../../values/tensor.ts';
import { tokenRows } from '../common/kmeans-loop.ts';
import { pickAnchors } from '../common/pick-anchors.ts';
import { assignFast, kmeansCpu } from './kmeans.ts';
import { positionEncodingCpu } from './position-encoding.ts';

function onCpu(t: Tensor, what: string): CpuTensor {
  if (t.location !== 'cpu') throw new Error(`${what}: the CPU backend was handed a GPU tensor`);
  return t;
}

export const cpuAnchorOps: AnchorOps = {
  async positionEncoding(h, w) {
    return positionEncodingCpu(h, w);
  },

  async kmeansAssign(tokens, centres) {
    const x = tokenRows(tokens.shape, onCpu(tokens, 'kmeansAssign').data);
    const cs = onCpu(centres, 'kmeansAssign');
    if (cs.shape.length !== 2 || cs.shape[1] !== x.c) {
      throw new Error(`kmeansAssign: centres must be [K,${x.c}], got [${cs.shape.join('x')}]`);
    }
    return cpuTensorI32([x.n], assignFast(x, Float32Array.from(cs.data), cs.shape[0]));
  },

  async kmeans(tokens, opts) {
    return kmeansCpu(tokenRows(tokens.shape, onCpu(tokens, 'kmeans').data), opts);
  },

  async locateAnchors(tokens, sizes, opts) {
    const result = await kmeansCpu(tokenRows(tokens.shape, onCpu(tokens, 'locateAnchors').data), opts);
    return { ...result, ...pickAnchors(result.labels, onCpu(sizes, 'locateAnchors sizes').data, opts.k) };
  },
};
