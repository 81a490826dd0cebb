/**
 * DISCO's sine position encoding (docs/disco-method.md §7; DETR's PositionEmbeddingSine, normalised): [1,64,h,w],
 * channels 0..31 from the row, 32..63 from the column. It depends only on (h, w), so it is computed,
 * never stored. Every step is rounded to float32 in the reference's order, so the result matches
 * the official float32 tensor to a few ulp.
 */
import { cpuTensor, type CpuTensor } from '../../values/tensor.ts';
import { checkGrid, posencCoord, posencDims, POS_FEATS } from '../common/position-encoding.ts';

const f = Math.fround;

export function positionEncodingCpu(h: number, w: number): CpuTensor {
  checkGrid(h, w);
  const dims = posencDims();
  const out = cpuTensor([1, 2 * POS_FEATS, h, w]);
  const plane = h * w;
  // One axis value per (channel, position): sin for even channels, cos for odd ones.
  const axis = (p: number, n: number, i: number): number => {
    const v = f(posencCoord(p, n) / dims[i]);
    return f(i % 2 === 0 ? Math.sin(v) : Math.cos(v));
  };
  for (let i = 0; i < POS_FEATS; i++) {
    for (let y = 0; y < h; y++) {
      const ry = axis(y + 1, h, i);
      for (let x = 0; x < w; x++) {
        out.data[i * plane + y * w + x] = ry;
        out.data[(POS_FEATS + i) * plane + y * w + x] = axis(x + 1, w, i);
      }
    }
  }
  return out;
}
