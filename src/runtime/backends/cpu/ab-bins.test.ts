import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { cpuTensor, cpuTensorI32 } from '../../values/tensor.ts';
import { AB_BINS } from '../common/ab-bins.ts';
import { decodeBinsTensor, encodeAbTensor, softEncodeAbTensor, softmaxChannelsTensor } from './ab-bins.ts';

/** (P,2) pairs -> [1,2,1,P]. */
const pairsToTensor = (pairs: ArrayLike<number>, P: number) =>
  cpuTensor([1, 2, 1, P], Float32Array.from({ length: 2 * P }, (_, i) => pairs[(i % P) * 2 + Math.floor(i / P)]));

describe('313 ab bins (CPU reference)', () => {
  it('has the official table in index order', () => {
    expect(Array.from(AB_BINS)).toEqual(Array.from(loadVector('gamut', 'bins').data));
  });

  it('encodes to the nearest bin', () => {
    const idx = encodeAbTensor(pairsToTensor(loadVector('gamut', 'ab_norm').data, 50));
    expect(idx.shape).toEqual([1, 1, 1, 50]);
    expect(Array.from(idx.data)).toEqual(Array.from(loadVector('gamut', 'index').data));
  });

  it('breaks exact ties towards the lowest index', () => {
    const idx = encodeAbTensor(pairsToTensor(loadVector('gamut', 'tie_ab_norm').data, 6));
    expect(Array.from(idx.data)).toEqual(Array.from(loadVector('gamut', 'tie_index').data));
  });

  it('soft-encodes with 5 Gaussian neighbours (1e-6)', () => {
    const soft = softEncodeAbTensor(pairsToTensor(loadVector('gamut', 'ab_norm').data, 50));
    const ref = loadVector('gamut', 'soft').data; // (50,313)
    let worst = 0;
    for (let p = 0; p < 50; p++) for (let k = 0; k < 313; k++) worst = Math.max(worst, Math.abs(soft.data[k * 50 + p] - ref[p * 313 + k]));
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('decodes labels to centres / 110 and rejects non-bins', () => {
    const ab = decodeBinsTensor(cpuTensorI32([1, 1, 1, 2], Int32Array.from([0, 312])));
    expect(Array.from(ab.data)).toEqual([-90 / 110, 100 / 110, 50 / 110, 0].map(Math.fround));
    expect(() => decodeBinsTensor(cpuTensorI32([1, 1, 1, 1], Int32Array.from([313])))).toThrow(/not a bin index/);
  });

  it('softmax sums to one over channels', () => {
    const logits = loadVector('anchor_colors', 'logits');
    const p = softmaxChannelsTensor(cpuTensor(logits.shape, logits.data as Float32Array));
    for (let t = 0; t < 16; t++) {
      let s = 0;
      for (let k = 0; k < 313; k++) s += p.data[k * 16 + t];
      expect(s).toBeCloseTo(1, 5);
    }
  });

  it('softmax over channels gives the bits of the one-pixel-at-a-time definition (batch of 2)', () => {
    const [N, C, H, W] = [2, 7, 3, 5], HW = H * W;
    const x = Float32Array.from({ length: N * C * HW }, (_, i) => Math.sin(i * 12.9898) * 30);
    const want = new Float32Array(x.length);
    for (let n = 0; n < N; n++) for (let p = 0; p < HW; p++) {
      const at = (c: number) => (n * C + c) * HW + p;
      let mx = -Infinity, sum = 0;
      for (let c = 0; c < C; c++) mx = Math.max(mx, x[at(c)]);
      for (let c = 0; c < C; c++) { want[at(c)] = Math.fround(Math.exp(x[at(c)] - mx)); sum += want[at(c)]; }
      for (let c = 0; c < C; c++) want[at(c)] = want[at(c)] / sum;
    }
    expect(Array.from(softmaxChannelsTensor(cpuTensor([N, C, H, W], x)).data)).toEqual(Array.from(want));
  });
});
