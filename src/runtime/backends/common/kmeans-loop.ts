/**
 * DISCO's k-means (docs/disco-method.md §9; the official code runs kmeans_pytorch with iter_limit 20, tol 1e-4),
 * reproduced in float32 so labels match the reference exactly:
 * - initial centres: tokens at numpy legacy `choice(n, k, replace=False)` right after seed(seed);
 * - Lloyd loop: assign (squared distance, first index on ties), then each centre becomes the mean of
 *   its members; an empty cluster's centre moves to one drawn token; shift = sum of ||c_new - c_old||;
 *   stop when shift^2 < tol or after maxIterations. Labels are those of the last assignment.
 *
 * The loop takes the assignment step as a function so the WebGPU backend can run it as a kernel
 * while the (tiny, data-dependent) update stays here.
 */
import type { KMeansOptions, KMeansResult } from '../ops/anchor-ops.ts';
import { MT19937 } from './mt19937.ts';

const f = Math.fround;

/** Tokens as n rows of C values (row = token, row-major token order). */
export interface TokenRows {
  readonly data: Float32Array;
  readonly n: number;
  readonly c: number;
}

/** [1,C,h,w] (NCHW) tensor data → n x C rows. */
export function tokenRows(shape: readonly number[], nchw: Float32Array | Int32Array, what = 'k-means tokens'): TokenRows {
  if (shape.length !== 4 || shape[0] !== 1) throw new Error(`${what}: expected shape [1,C,h,w], got [${shape.join('x')}]`);
  const [, c, h, w] = shape;
  const n = h * w;
  const data = new Float32Array(n * c);
  for (let ch = 0; ch < c; ch++) {
    for (let t = 0; t < n; t++) {
      const v = nchw[ch * n + t];
      if (!Number.isFinite(v)) throw new Error(`${what}: value at channel ${ch}, token ${t} is ${v}`);
      data[t * c + ch] = v;
    }
  }
  return { data, n, c };
}

/** A token's centre, and (optional) each centre's member sums (float64, k x c) and counts, added as memberSums adds them. */
export type Assignment = Int32Array | { readonly labels: Int32Array; readonly sums: Float64Array; readonly counts: Int32Array };
export type AssignFn = (centres: Float32Array) => Promise<Assignment> | Assignment;

export function checkKMeansOptions(opts: KMeansOptions, n: number): Required<Omit<KMeansOptions, 'emptyDraws'>> {
  const { k, seed, maxIterations = 20, tol = 1e-4, init = 'reference' } = opts;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`k-means: k must be a whole number in 1..${n} (the token count), got ${k}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`k-means: seed must be a whole number in 0..2^32-1, got ${seed}`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new Error(`k-means: maxIterations must be a whole number >= 1, got ${maxIterations}`);
  if (!(tol >= 0)) throw new Error(`k-means: tol must be >= 0, got ${tol}`);
  if (init !== 'reference' && init !== 'kmeans++') throw new Error(`k-means: init must be 'reference' or 'kmeans++', got ${JSON.stringify(init)}`);
  for (const d of opts.emptyDraws ?? []) {
    if (!Number.isInteger(d) || d < 0 || d >= n) throw new Error(`k-means: recorded empty-cluster draw ${d} is not a token index in 0..${n - 1}`);
  }
  return { k, seed, maxIterations, tol, init };
}

/** D²-weighted seeding (k-means++), drawing from the seeded MT19937. */
function kmeansPlusPlus(x: TokenRows, k: number, rng: MT19937): Int32Array {
  const { data, n, c } = x;
  const idx = new Int32Array(k);
  idx[0] = rng.bounded(n - 1);
  const d2 = new Float64Array(n).fill(Infinity);
  for (let j = 1; j < k; j++) {
    const p = idx[j - 1];
    let total = 0;
    for (let t = 0; t < n; t++) {
      let d = 0;
      for (let ch = 0; ch < c; ch++) d += (data[t * c + ch] - data[p * c + ch]) ** 2;
      d2[t] = Math.min(d2[t], d);
      total += d2[t];
    }
    // All remaining tokens coincide with a centre: fall back to the first unused index.
    let pick = -1;
    if (total > 0) {
      let r = rng.random() * total;
      for (let t = 0; t < n && pick < 0; t++) if ((r -= d2[t]) < 0 && d2[t] > 0) pick = t;
      if (pick < 0) for (let t = n - 1; t >= 0 && pick < 0; t--) if (d2[t] > 0) pick = t;
    }
    if (pick < 0) for (let t = 0; t < n && pick < 0; t++) if (!idx.subarray(0, j).includes(t)) pick = t;
    idx[j] = pick;
  }
  return idx;
}

/**
 * Each centre's member sums (float64, added in token order) and counts. Plain arrays in, no
 * closures: V8 keeps one optimised version of it across runs.
 */
function memberSums(x: TokenRows, labels: Int32Array, k: number): { sums: Float64Array; counts: Int32Array } {
  const { data, n, c } = x;
  const sums = new Float64Array(k * c);
  const counts = new Int32Array(k);
  for (let t = 0; t < n; t++) {
    const j = labels[t], row = t * c, s = j * c;
    counts[j]++;
    for (let ch = 0; ch < c; ch++) sums[s + ch] += data[row + ch];
  }
  return { sums, counts };
}

/** Each centre with members becomes their mean (stored as float32); centres without members are left as they were. */
function means(sums: Float64Array, counts: Int32Array, k: number, c: number, centres: Float32Array): void {
  for (let j = 0; j < k; j++) {
    const m = counts[j];
    if (m > 0) for (let ch = 0; ch < c; ch++) centres[j * c + ch] = sums[j * c + ch] / m;
  }
}

/** Sum over centres of the float32 distance it moved. */
function centreShift(centres: Float32Array, prev: Float32Array, k: number, c: number): number {
  let shift = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let ch = 0; ch < c; ch++) {
      const d = f(centres[j * c + ch] - prev[j * c + ch]);
      s = f(s + f(d * d));
    }
    shift = f(shift + f(Math.sqrt(s)));
  }
  return shift;
}

/** The k-means++ starting tokens, and the generator after drawing them. */
function plusPlusDraws(x: TokenRows, k: number, seed: number): { rng: MT19937; indices: Int32Array } {
  const rng = new MT19937(seed);
  return { rng, indices: kmeansPlusPlus(x, k, rng) };
}

/**
 * The reference's starting tokens for (seed, n, k) and the generator after drawing them, kept for
 * the last few: seeding and shuffling 0..n-1 took 0.15 ms of a 256² run's Anchor Locator, for the
 * same draws each time (every anchor edit, every photo of a batch, with the default seed).
 */
const referenceKept = new Map<string, { rng: MT19937; indices: Int32Array }>();

function referenceDraws(seed: number, n: number, k: number): { rng: MT19937; indices: Int32Array } {
  const key = `${seed}/${n}/${k}`;
  let kept = referenceKept.get(key);
  if (!kept) {
    const rng = new MT19937(seed);
    kept = { indices: rng.choice(n, k), rng };
    if (referenceKept.size >= 8) referenceKept.delete(referenceKept.keys().next().value!);
    referenceKept.set(key, kept);
  }
  return { rng: kept.rng.clone(), indices: kept.indices.slice() };
}

export async function kmeansLoop(x: TokenRows, opts: KMeansOptions, assign: AssignFn): Promise<KMeansResult> {
  const { data, n, c } = x;
  const { k, seed, maxIterations, tol, init } = checkKMeansOptions(opts, n);
  const { rng, indices: initIndices } = init === 'reference' ? referenceDraws(seed, n, k) : plusPlusDraws(x, k, seed);
  const centres = new Float32Array(k * c);
  initIndices.forEach((t, j) => centres.set(data.subarray(t * c, (t + 1) * c), j * c));

  const replay = [...(opts.emptyDraws ?? [])];
  const emptyDraws: number[] = [];
  const tolF = f(tol);
  let labels: Int32Array = new Int32Array(n);
  let iterations = 0;
  for (;;) {
    const assigned = await assign(centres);
    labels = assigned instanceof Int32Array ? assigned : assigned.labels;
    const { sums, counts } = assigned instanceof Int32Array ? memberSums(x, labels, k) : assigned;
    const prev = centres.slice();
    means(sums, counts, k, c, centres);
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        // Reference: X[torch.randint(n, (1,))]; replay recorded draws, else the seeded generator.
        const t = replay.length > 0 ? replay.shift()! : rng.bounded(n - 1);
        emptyDraws.push(t);
        centres.set(data.subarray(t * c, (t + 1) * c), j * c);
      }
    }
    iterations++;
    const shift = centreShift(centres, prev, k, c);
    if (f(shift * shift) < tolF || iterations >= maxIterations) break;
  }
  return { labels, centres, iterations, initIndices, emptyDraws };
}
