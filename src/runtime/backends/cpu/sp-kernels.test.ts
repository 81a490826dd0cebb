/**
 * The fast CPU SP-Pool / SP-Diffuse (TypeScript loops and WebAssembly SIMD kernels) against the
 * plain per-pixel definitions (docs/disco-method.md §6), on random maps and grids of several shapes
 * (edges and corners included). SP-Diffuse gives the same bits. SP-Pool's loops add float64 sums
 * in another order, so they are held to 1 float32 ulp; its SIMD kernel sums each cell in float32
 * lanes, and the CLI's native kernel (native/sp-kernels.c) sums pixel columns in float32: each is
 * held to the bound sp-pool.ts states for it.
 */
import { describe, expect, it } from 'vitest';
import { kOffset, type SpGrid } from '../ops/superpixel-ops.ts';
import { spDiffuseArrays } from './sp-diffuse.ts';
import { nativeKernels } from './native/native-kernels.ts';
import { simdKernels } from './simd/simd.ts';
import { spSizesArrays } from './sp-sizes.ts';
import { spPoolArrays } from './sp-pool.ts';
import { ulp, ulps } from '../../../../test/helpers/ulps.ts';

function poolPerPixel(x: Float32Array, C: number, assoc: Float32Array, g: SpGrid) {
  const { H, W, h, w, cell } = g;
  const hw = H * W, n = h * w;
  const num = new Float64Array(C * n), den = new Float64Array(n);
  for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) {
    const p = y * W + xx;
    for (let k = 0; k < 9; k++) {
      const [dy, dx] = kOffset(k);
      const ny = Math.floor(y / cell) + dy, nx = Math.floor(xx / cell) + dx;
      if (ny < 0 || nx < 0 || ny >= h || nx >= w) continue;
      const j = ny * w + nx, a = assoc[k * hw + p];
      den[j] += a;
      for (let c = 0; c < C; c++) num[c * n + j] += a * x[c * hw + p];
    }
  }
  const inv = 1 / (cell * cell);
  const pooled = new Float32Array(C * n), mass = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    mass[j] = den[j] * inv;
    for (let c = 0; c < C; c++) pooled[c * n + j] = (num[c * n + j] * inv) / (den[j] * inv + 1e-8);
  }
  return { pooled, mass };
}

function diffusePerPixel(t: Float32Array, C: number, assoc: Float32Array, g: SpGrid): Float32Array {
  const { H, W, h, w, cell } = g;
  const hw = H * W, n = h * w, f = Math.fround;
  const out = new Float32Array(C * hw);
  for (let y = 0; y < H; y++) for (let xx = 0; xx < W; xx++) {
    const p = y * W + xx;
    for (let c = 0; c < C; c++) {
      let acc = 0;
      for (let k = 0; k < 9; k++) {
        const [dy, dx] = kOffset(k);
        const ny = Math.floor(y / cell) + dy, nx = Math.floor(xx / cell) + dx;
        if (ny < 0 || nx < 0 || ny >= h || nx >= w) continue;
        acc = f(acc + f(assoc[k * hw + p] * t[c * n + ny * w + nx]));
      }
      out[c * hw + p] = acc;
    }
  }
  return out;
}

/**
 * The largest |a - b| / (1 ulp of b + scale * bound), bound an array of the same length: at most 1
 * when a is within the tolerance.
 */
function worstRatio(a: Float32Array, b: Float32Array, bound: Float32Array, scale: number): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (ulp(b[i]) + scale * bound[i]));
  return worst;
}

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 0.5);
}

/** Roundings per partial sum of SP-Pool's kernels (sp-pool.ts): n in the bound 1 ulp + 2 n u P|x|. */
const poolRoundings = {
  wasm: (cell: number) => cell * cell / 4 + 3,
  native: (cell: number) => cell + Math.ceil(Math.log2(cell)) + 1,
};

describe.each([
  ['TypeScript loops', null, null],
  ['WebAssembly SIMD kernels', simdKernels(), poolRoundings.wasm],
  // two threads: bands shared out as the threads claim them; the thread count changes no bit (native-kernels.test.ts)
  ['native kernels (the CLI, after npm run setup)', nativeKernels(2), poolRoundings.native],
] as const)('CPU SP-Pool, SP-Diffuse and superpixel sizes: %s', (path, simd, roundings) => {
  if (path !== 'TypeScript loops') it('load in Node', () => expect(simd).not.toBeNull());
  // cell % 4 != 0 (the last shape) always takes the loops; cells of 32 and 12 take the native
  // kernel's paths for several groups of 16 columns and for one column at a time.
  for (const [h, w, cell, C] of [[1, 1, 4, 2], [3, 5, 4, 3], [4, 2, 16, 5], [3, 4, 8, 66], [2, 3, 32, 3], [3, 2, 12, 4], [2, 7, 2, 1]]) {
    const g: SpGrid = { H: h * cell, W: w * cell, h, w, cell };
    const hw = g.H * g.W;
    const assoc = random(9 * hw, h * 31 + w);
    it(`pool equals the per-pixel sums within its tolerance (${h}x${w} cells of ${cell}, C=${C})`, () => {
      const x = random(C * hw, 7).map((v) => v - 0.5); // centred: sums that cancel, so a loose kernel shows
      const A = assoc.map(Math.abs); // association maps are softmaxes: A >= 0, as the SIMD bound assumes
      const fast = spPoolArrays(x, C, A, g, simd), ref = poolPerPixel(x, C, A, g);
      if (roundings === null || cell % 4 !== 0) {
        expect(ulps(fast.pooled, ref.pooled)).toBeLessThanOrEqual(1);
        expect(ulps(fast.mass, ref.mass)).toBeLessThanOrEqual(1);
      } else {
        // sp-pool.ts: within 1 ulp + 2 n u P|x| (the mass: 1 ulp + n u mass), u = 2^-24.
        const nu = roundings(cell) * 2 ** -24;
        const absPooled = poolPerPixel(x.map(Math.abs), C, A, g).pooled;
        expect(worstRatio(fast.pooled, ref.pooled, absPooled, 2 * nu)).toBeLessThanOrEqual(1);
        expect(worstRatio(fast.mass, ref.mass, ref.mass, nu)).toBeLessThanOrEqual(1);
      }
    });
    it(`sizes equal the TypeScript counts, ties included (${h}x${w} cells of ${cell})`, () => {
      const coarse = assoc.map((v) => Math.round(v * 3) / 3); // few distinct values: many ties
      for (const a of [assoc, coarse]) expect(Array.from(spSizesArrays(a, g, simd))).toEqual(Array.from(spSizesArrays(a, g, null)));
    });
    it(`diffuse equals the per-pixel sums bit for bit (${h}x${w} cells of ${cell}, C=${C})`, () => {
      const t = random(C * h * w, 11);
      expect(Array.from(spDiffuseArrays(t, C, assoc, g, simd))).toEqual(Array.from(diffusePerPixel(t, C, assoc, g)));
    });
  }
});
