import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { cpuTensor } from '../../values/tensor.ts';
import type { AnchorsValue } from '../../values/types.ts';
import { AB_BINS } from '../common/ab-bins.ts';
import { nearestBin, softmaxChannelsTensor } from './ab-bins.ts';
import { anchorInputArrays, candidatesAt, candidatesOf, pickBin, topBinsTensor } from './anchor-colors.ts';
import { cpuColorOps } from './color-ops.ts';

const logits = loadVector('anchor_colors', 'logits');
const probs = softmaxChannelsTensor(cpuTensor(logits.shape, logits.data as Float32Array));
const top = topBinsTensor(probs, 10);
const vec = (k: string) => Array.from(loadVector('anchor_colors', k).data);

describe('anchor colours (CPU reference)', () => {
  it('ranks the top-10 bins like the official code', () => {
    expect(Array.from(top.bins.data)).toEqual(vec('top10'));
  });

  it('finds the same candidates at one token as over the whole grid', () => {
    for (let cell = 0; cell < 16; cell++) expect(candidatesOf(probs, cell), `cell ${cell}`).toEqual(candidatesAt(top.bins, cell));
  });

  it.each([0, 1, 2])('picks T=%i, honouring the tie flags', (T) => {
    const want = vec(`index_T${T}`), ties = T === 0 ? new Array(16).fill(0) : vec(`tie_T${T}`);
    const abRef = vec(`ab_T${T}`);
    for (let cell = 0; cell < 16; cell++) {
      const bin = pickBin(candidatesAt(top.bins, cell), T);
      if (!ties[cell]) expect(bin, `cell ${cell}`).toBe(want[cell]);
      else expect(candidatesAt(top.bins, cell), `cell ${cell}`).toContain(bin);
      if (!ties[cell]) {
        const ab = [abRef[cell], abRef[16 + cell]];
        expect([AB_BINS[2 * bin] / 110, AB_BINS[2 * bin + 1] / 110].map(Math.fround)).toEqual(ab.map(Math.fround));
      }
    }
  });

  it('gives distinct colours for variants 0..9', () => {
    const c = candidatesAt(top.bins, 5);
    expect(new Set(Array.from({ length: 10 }, (_, v) => pickBin(c, v))).size).toBe(10);
    expect(() => pickBin(c, 10)).toThrow(/variant must be 0..9/);
  });

  it('keeps user colours and colours the rest from the model', async () => {
    const anchors: AnchorsValue = {
      gridH: 4, gridW: 4,
      anchors: [
        { cell: 3, x: 0.9, y: 0.1, source: 'auto' },
        { cell: 6, x: 0.4, y: 0.4, source: 'user', ab: [31, -12] },
        { cell: 7, x: 0.9, y: 0.4, source: 'user' },
      ],
    };
    const out = await cpuColorOps.anchorColors(probs, anchors, { variant: 1 });
    expect(out.anchors[0].bin).toBe(vec('index_T1')[3]);
    expect(out.anchors[1].ab).toEqual([31, -12]);
    expect(out.anchors[1].bin).toBeTypeOf('number');
    expect(out.anchors[2].bin).toBe(pickBin(candidatesAt(top.bins, 7), 1));
    expect(out.anchors.every((a) => a.ab && a.bin !== undefined)).toBe(true);
  });

  it('keeps colours taken from a reference photo (Reference Colors), and the match', async () => {
    const reference = { token: 2, gridH: 4, gridW: 4, confidence: 0.8, applied: true, box: [0.5, 0, 0.75, 0.25] } as const;
    const anchors: AnchorsValue = {
      gridH: 4, gridW: 4,
      anchors: [{ cell: 3, x: 0.9, y: 0.1, source: 'reference', ab: [-22, 47], reference }, { cell: 6, x: 0.4, y: 0.4, source: 'auto' }],
    };
    const out = await cpuColorOps.anchorColors(probs, anchors, { variant: 0 });
    expect(out.anchors[0]).toMatchObject({ source: 'reference', ab: [-22, 47], bin: nearestBin(-22, 47), reference });
    expect(out.anchors[1].bin).toBe(pickBin(candidatesAt(top.bins, 6), 0));
  });

  it('takes the nearest bin of the pooled reference ab in reference mode', async () => {
    const ref = cpuTensor([1, 2, 4, 4], new Float32Array(32).fill(0.1));
    const anchors: AnchorsValue = { gridH: 4, gridW: 4, anchors: [{ cell: 0, x: 0, y: 0, source: 'auto' }] };
    const out = await cpuColorOps.anchorColors(probs, anchors, { variant: 0, referenceAb: ref });
    expect(out.anchors[0].ab).toEqual([10, 10]);
  });

  it('builds the generator inputs: counts in the mask, one-hot x mask', () => {
    const anchors: AnchorsValue = {
      gridH: 2, gridW: 3,
      anchors: [{ cell: 1, x: 0, y: 0, source: 'auto', bin: 5 }, { cell: 1, x: 0, y: 0, source: 'auto', bin: 5 }, { cell: 4, x: 0, y: 0, source: 'auto', bin: 300 }],
    };
    const { mask, onehot } = anchorInputArrays(anchors, 2, 3);
    expect(Array.from(mask.data)).toEqual([0, 2, 0, 0, 1, 0]);
    expect(onehot.shape).toEqual([1, 313, 2, 3]);
    expect(onehot.data[5 * 6 + 1]).toBe(2);
    expect(onehot.data[300 * 6 + 4]).toBe(1);
    expect(Array.from(onehot.data).reduce((s, v) => s + v, 0)).toBe(3);
    expect(() => anchorInputArrays(anchors, 4, 4)).toThrow(/2x3 grid/);
    expect(() => anchorInputArrays({ ...anchors, anchors: [{ cell: 0, x: 0, y: 0, source: 'auto' }] }, 2, 3)).toThrow(/no colour bin/);
  });
});
