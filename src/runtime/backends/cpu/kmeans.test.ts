import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { cpuTensor } from '../../values/tensor.ts';
import { cpuAnchorOps } from './anchor-ops.ts';
import { tokenRows } from '../common/kmeans-loop.ts';
import { MT19937 } from '../common/mt19937.ts';
import { assignCpu, kmeansCpu } from './kmeans.ts';
import { simdAssign, simdAssignSum } from './simd/kmeans-simd.ts';
import { mulberry32 } from '../../../../test/helpers/prng.ts';

function kmeansCase(name: string) {
  const v = (key: string) => loadVector(name, key);
  const tokens = v('tokens');
  return {
    tokens: cpuTensor(tokens.shape, tokens.data as Float32Array),
    sizes: cpuTensor(v('spixel_sizes').shape, v('spixel_sizes').data as Float32Array),
    seed: v('seed').data[0],
    k: v('k').data[0],
    initIndices: Array.from(v('init_indices').data),
    iterations: v('iterations').data[0],
    emptyDraws: Array.from(v('empty_draws').data),
    labels: Array.from(v('labels').data),
    centres: v('centres').data,
    hintMask: Array.from(v('hint_mask').data),
  };
}

describe.each(['kmeans_small', 'kmeans_grid16', 'kmeans_empty'])('k-means + anchors vs %s', (name) => {
  const ref = kmeansCase(name);

  it('reproduces init indices, labels, iterations, hint mask exactly and centres within 1e-5', async () => {
    const got = await cpuAnchorOps.locateAnchors(ref.tokens, ref.sizes, { k: ref.k, seed: ref.seed, emptyDraws: ref.emptyDraws });
    expect(Array.from(got.initIndices)).toEqual(ref.initIndices);
    expect(got.iterations).toBe(ref.iterations);
    expect(Array.from(got.labels)).toEqual(ref.labels);
    expect(got.emptyDraws).toEqual(ref.emptyDraws);
    expect(Array.from(got.mask)).toEqual(ref.hintMask);
    let maxErr = 0;
    for (let i = 0; i < ref.centres.length; i++) maxErr = Math.max(maxErr, Math.abs(got.centres[i] - ref.centres[i]));
    expect(maxErr).toBeLessThanOrEqual(1e-5);
  });
});

describe('k-means details', () => {
  it('kmeans_empty refills its empty cluster from the seeded generator when no draws are recorded', async () => {
    const ref = kmeansCase('kmeans_empty');
    expect(ref.emptyDraws.length).toBeGreaterThan(0);
    const x = tokenRows(ref.tokens.shape, ref.tokens.data);
    const a = await kmeansCpu(x, { k: ref.k, seed: ref.seed });
    const b = await kmeansCpu(x, { k: ref.k, seed: ref.seed });
    expect(a.emptyDraws.length).toBeGreaterThan(0);
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels)); // deterministic per seed
    expect(Array.from(a.initIndices)).toEqual(ref.initIndices);
    // The refills come from the generator right after the starting draws, also on the second run
    // (which reuses the kept draws and a copy of that generator).
    const rng = new MT19937(ref.seed);
    rng.choice(x.n, ref.k);
    const refills = a.emptyDraws.map(() => rng.bounded(x.n - 1));
    expect(a.emptyDraws).toEqual(refills);
    expect(b.emptyDraws).toEqual(refills);
  });

  it('kmeans++ init gives k distinct starting tokens and a valid labelling', async () => {
    const ref = kmeansCase('kmeans_grid16');
    const got = await cpuAnchorOps.kmeans(ref.tokens, { k: 8, seed: 3, init: 'kmeans++' });
    expect(new Set(got.initIndices).size).toBe(8);
    expect(got.labels.every((l) => l >= 0 && l < 8)).toBe(true);
  });

  it('rejects bad options and non-finite data with clear messages', async () => {
    const ref = kmeansCase('kmeans_small');
    await expect(cpuAnchorOps.kmeans(ref.tokens, { k: 17, seed: 1 })).rejects.toThrow(/k must be .* 1\.\.16/);
    await expect(cpuAnchorOps.kmeans(ref.tokens, { k: 4, seed: 1, emptyDraws: [99] })).rejects.toThrow(/draw 99/);
    const bad = cpuTensor([1, 2, 1, 2], new Float32Array([0, NaN, 1, 2]));
    await expect(cpuAnchorOps.kmeans(bad, { k: 2, seed: 1 })).rejects.toThrow(/channel 0, token 1 is NaN/);
    await expect(cpuAnchorOps.kmeans(cpuTensor([64, 16]), { k: 2, seed: 1 })).rejects.toThrow(/\[1,C,h,w\]/);
  });

  it('kmeansAssign picks the nearest centre, first index on ties', async () => {
    // 3 tokens with 2 channels: (0,0), (1,0), (0.5,0); centres (0,0) and (1,0): the middle one ties.
    const tokens = cpuTensor([1, 2, 1, 3], new Float32Array([0, 1, 0.5, 0, 0, 0]));
    const centres = cpuTensor([2, 2], new Float32Array([0, 0, 1, 0]));
    const labels = await cpuAnchorOps.kmeansAssign(tokens, centres);
    expect(Array.from(labels.location === 'cpu' ? labels.data : [])).toEqual([0, 1, 0]);
  });

  it('the SIMD step with member sums: the same labels, the float64 sums of the members in token order, its tokens kept per owner only', () => {
    const step = simdAssignSum(), assign = simdAssign();
    expect(step, 'Node has WebAssembly SIMD').not.toBeNull();
    const r = mulberry32(9);
    // An odd count of channels takes the scalar tail; an odd count of tokens leaves the last one without a partner.
    for (const [n, c] of [[40, 13], [40, 64], [41, 64]]) {
      const tokens = [0, 1].map(() => Float32Array.from({ length: n * c }, () => r() * 2 - 1));
      const centres = Float32Array.from({ length: 5 * c }, () => r() * 2 - 1);
      const owners = [{}, {}];
      // Owners take turns, and the plain kernel runs in between: each call must see its own tokens.
      for (const i of [0, 1, 0, 0, 1]) {
        if (i === 1) assign!(tokens[0], n, c, centres, 5);
        const data = tokens[i];
        const got = step!(data, n, c, centres, 5, owners[i]);
        const labels = assignCpu({ data, n, c }, centres, 5);
        expect(Array.from(got.labels), `n = ${n}, c = ${c}, owner ${i}`).toEqual(Array.from(labels));
        const sums = new Float64Array(5 * c), counts = new Int32Array(5);
        for (let t = 0; t < n; t++) {
          counts[labels[t]]++;
          for (let ch = 0; ch < c; ch++) sums[labels[t] * c + ch] += data[t * c + ch];
        }
        expect(Array.from(got.counts)).toEqual(Array.from(counts));
        expect(Array.from(got.sums)).toEqual(Array.from(sums));
      }
    }
  });

  it('assigns like the plain one-centre-at-a-time float32 loop, for every k (TypeScript and WebAssembly SIMD)', () => {
    const simd = simdAssign();
    expect(simd, 'Node has WebAssembly SIMD').not.toBeNull();
    const f = Math.fround, r = mulberry32(5), n = 50, c = 13;
    const data = Float32Array.from({ length: n * c }, () => r() * 2 - 1);
    for (let k = 1; k <= 14; k++) {
      const centres = Float32Array.from({ length: k * c }, () => r() * 2 - 1);
      centres.set(data.subarray(0, c), (k - 1) * c); // token 0 sits on the last centre, which must win it
      const want = Array.from({ length: n }, (_, t) => {
        let best = 0, bestD = Infinity;
        for (let j = 0; j < k; j++) {
          let d = 0;
          for (let ch = 0; ch < c; ch++) { const e = f(data[t * c + ch] - centres[j * c + ch]); d = f(d + f(e * e)); }
          if (d < bestD) { bestD = d; best = j; }
        }
        return best;
      });
      expect(Array.from(assignCpu({ data, n, c }, centres, k)), `k = ${k}`).toEqual(want);
      expect(Array.from(simd!(data, n, c, centres, k)), `SIMD, k = ${k}`).toEqual(want);
      expect(Array.from(simd!(data, n - 1, c, centres, k)), `SIMD, k = ${k}, odd n`).toEqual(want.slice(0, n - 1));
      const twice = new Float32Array(2 * k * c); // every centre twice: ties go to the first copy
      for (let j = 0; j < k; j++) { twice.set(centres.subarray(j * c, (j + 1) * c), 2 * j * c); twice.set(centres.subarray(j * c, (j + 1) * c), (2 * j + 1) * c); }
      expect(Array.from(simd!(data, n, c, twice, 2 * k)), `SIMD ties, k = ${2 * k}`).toEqual(want.map((j) => 2 * j));
    }
  });
});
