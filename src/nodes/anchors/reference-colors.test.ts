import { describe, expect, it } from 'vitest';
import { runNode } from '../../../test/helpers/node-ctx.ts';
import { mulberry32 } from '../../../test/helpers/prng.ts';
import { matchReference, tokenBox } from '../../runtime/anchors/reference-match.ts';
import { nearestBin } from '../../runtime/backends/cpu/ab-bins.ts';
import { cpuTensor, type CpuTensor } from '../../runtime/values/tensor.ts';
import type { Anchor, AnchorsValue, TokensValue } from '../../runtime/values/types.ts';
import { referenceColors } from './reference-colors.ts';

/** [1,C,h,w] from one C-vector per token. */
function features(vectors: number[][], h: number, w: number): CpuTensor {
  const C = vectors[0].length, n = h * w;
  const t = cpuTensor([1, C, h, w]);
  vectors.forEach((v, i) => v.forEach((x, c) => { t.data[c * n + i] = x; }));
  return t;
}

/** [1,2,h,w] ab planes from one [a, b] per token, scaled like SP-Pool's pooled ab_n (ab / 110). */
function pooledAb(ab: number[][], h: number, w: number): CpuTensor {
  return features(ab.map(([a, b]) => [a / 110, b / 110]), h, w);
}

describe('reference matching', () => {
  it('finds each token in a shuffled copy of the features, with the colours known', () => {
    // 6 x 8 tokens, 16 random features; the reference is the same features mirrored left-right and
    // shifted by a quarter of the width (as the flipped eval reference), so the right answer is known.
    const rand = mulberry32(7), h = 6, w = 8, C = 16;
    const photo = Array.from({ length: h * w }, () => Array.from({ length: C }, () => rand()));
    const where = (i: number) => Math.floor(i / w) * w + ((w - 1 - (i % w) + w / 4) % w);
    const ref: number[][] = [], ab: number[][] = [];
    // The reference's features are twice as large (another exposure, say): cosine does not see the scale.
    photo.forEach((v, i) => { ref[where(i)] = v.map((x) => x * 2 + 0.01 * rand()); ab[where(i)] = [(i % 7) * 12 - 40, (i % 5) * 15 - 30]; });
    for (const kind of ['cosine', 'l2'] as const) {
      const cells = Array.from({ length: h * w }, (_, i) => i);
      const m = matchReference(features(photo, h, w), cells, features(ref, h, w), features(ab, h, w), kind);
      if (kind === 'cosine') expect(m.map((x) => x.token)).toEqual(cells.map(where)); // scale-free
      else expect(m.filter((x, i) => x.token === where(i)).length).toBeLessThan(24); // Euclidean is misled by the scale
      // Unscaled, both find every token.
      const unscaled: number[][] = [];
      photo.forEach((v, i) => { unscaled[where(i)] = v; });
      expect(matchReference(features(photo, h, w), cells, features(unscaled, h, w), features(ab, h, w), kind).map((x) => x.token)).toEqual(cells.map(where));
      for (const x of m) expect(x.confidence).toBeGreaterThanOrEqual(0);
    }
  });

  it('confidence: 1 - d1/d2 against the nearest token of another colour; same-colour neighbours do not lower it', () => {
    const f = features([[1, 0], [0.99, 0.14], [0.6, 0.8], [0, 1]], 1, 4);
    // Tokens 0 and 1 share a colour; 2 and 3 are other colours.
    const ab = features([[40, 10], [45, 12], [-30, 20], [0, -50]], 1, 4);
    const [m] = matchReference(features([[1, 0.01]], 1, 1), [0], f, ab, 'cosine');
    expect(m.token).toBe(0);
    const d = (x: number[], y: number[]) => 1 - (x[0] * y[0] + x[1] * y[1]) / Math.hypot(...x) / Math.hypot(...y);
    expect(m.d2).toBeCloseTo(d([1, 0.01], [0.6, 0.8]), 6); // token 2, not token 1
    expect(m.confidence).toBeCloseTo(1 - m.d1 / m.d2, 9);
    expect(m.confidence).toBeGreaterThan(0.95);
    // A reference of a single colour: nothing could give another colour.
    expect(matchReference(features([[1, 0.01]], 1, 1), [0], f, features([[40, 10], [41, 10], [40, 11], [42, 12]], 1, 4), 'cosine')[0].confidence).toBe(1);
  });

  it('boxes: the token cell normalised to the reference content frame', () => {
    expect(tokenBox(9, 4, 16, { width: 64, height: 48 })).toEqual([0.25, 2 / 3, 0.5, 1]);
    expect(tokenBox(3, 4, 16, { width: 56, height: 48 })).toEqual([48 / 56, 0, 1, 1 / 3]); // clipped at the content edge
  });

  it('refuses features from different modelers and colours off the reference grid', () => {
    expect(() => matchReference(cpuTensor([1, 3, 1, 1]), [0], cpuTensor([1, 4, 1, 1]), cpuTensor([1, 2, 1, 1]), 'l2')).toThrow(/3 feature channels and the reference 4/);
    expect(() => matchReference(cpuTensor([1, 3, 1, 1]), [0], cpuTensor([1, 3, 1, 2]), cpuTensor([1, 2, 1, 1]), 'l2')).toThrow(/must be \[1,2,1,2\]/);
  });
});

describe('disco/reference-colors', () => {
  // Photo: 1 x 3 tokens; reference: 1 x 3 tokens in another order with known colours.
  const photo: TokensValue = { tokens: features([[1, 0, 0], [0, 1, 0], [0, 0, 1]], 1, 3), cell: 16 };
  const refColours = [[60, 40], [-40, 30], [10, -60]];
  const reference: TokensValue = { tokens: features([[0, 0.1, 1], [1, 0.1, 0], [0.1, 1, 0]], 1, 3), cell: 16, pooledAb: pooledAb(refColours, 1, 3) };
  const anchors = (list: Anchor[]): AnchorsValue => ({ gridH: 1, gridW: 3, anchors: list });
  const auto = (cell: number): Anchor => ({ cell, x: (cell + 0.5) / 3, y: 0.5, source: 'auto', cluster: cell });
  const run = async (list: Anchor[], params: Record<string, unknown> = {}) =>
    ((await runNode(referenceColors, { anchors: anchors(list), features: photo, reference }, params)).anchors as AnchorsValue).anchors;

  it('gives each automatic anchor the colour of the reference superpixel with the nearest feature', async () => {
    const out = await run([auto(0), auto(1), auto(2)], { threshold: 0 });
    expect(out.map((a) => a.reference?.token)).toEqual([1, 2, 0]);
    for (const a of out) {
      const [ea, eb] = refColours[a.reference!.token];
      expect(a.source).toBe('reference');
      expect(a.ab![0]).toBeCloseTo(ea, 4);
      expect(a.ab![1]).toBeCloseTo(eb, 4);
      expect(a.bin).toBe(nearestBin(a.ab![0], a.ab![1]));
      expect(a.reference).toMatchObject({ gridH: 1, gridW: 3, applied: true });
      expect(a.cluster).toBe(a.cell); // the rest of the anchor is kept
    }
    expect(out[0].reference!.box).toEqual([1 / 3, 0, 2 / 3, 1]);
  });

  it('leaves user-coloured anchors alone, and below the threshold keeps the anchor for the model colour', async () => {
    const user: Anchor = { cell: 1, x: 0.5, y: 0.5, source: 'user', ab: [5, 5] };
    const [u, a] = await run([user, auto(0)], { threshold: 0.9999 });
    expect(u).toEqual(user);
    expect(a.source).toBe('auto');
    expect(a.ab).toBeUndefined();
    expect(a.reference).toMatchObject({ token: 1, applied: false });
    expect(a.reference!.confidence).toBeLessThan(0.9999);
    // A user anchor without a colour takes the reference's and stays the user's.
    const [v] = await run([{ cell: 2, x: 0.8, y: 0.5, source: 'user' }], { threshold: 0 });
    expect(v.source).toBe('user');
    expect(v.reference).toMatchObject({ token: 0, applied: true });
    expect(v.ab![0]).toBeCloseTo(60, 4);
  });

  it('says what is missing: colours on the reference tokens, the matching grid', async () => {
    await expect(runNode(referenceColors, { anchors: anchors([auto(0)]), features: photo, reference: { ...reference, pooledAb: undefined } }))
      .rejects.toThrow(/^disco\/reference-colors: the reference tokens carry no colour: connect the reference's Normalize ab to its SP-Pool's ab input$/);
    await expect(runNode(referenceColors, { anchors: { gridH: 2, gridW: 2, anchors: [] }, features: photo, reference }))
      .rejects.toThrow(/anchors are on a 2x2 grid but the photo's features are 1x3/);
  });
});
