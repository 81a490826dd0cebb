/**
 * Anchor colours (docs/disco-method.md §10): the top-10 bins per token, then a pick. Variant 0 is the argmax (T=0);
 * variant n >= 1 is greedy farthest-point among the not yet picked candidates, maximising the sum of
 * Euclidean ab distances to the earlier picks (variant 1 = T1, 2 = T2). Distances are exact on the
 * 10-unit grid; ties go to the lowest rank. Shared by both backends: the WebGPU one computes the
 * top-k on the GPU and reads back only that small table, because ANCHORS is a CPU list.
 */
import { cpuTensor, cpuTensorI32, type CpuTensor } from '../../values/tensor.ts';
import type { Anchor, AnchorsValue, ImageValue } from '../../values/types.ts';
import { AB_BINS, AB_SCALE, NUM_BINS } from '../common/ab-bins.ts';
import { nearestBin } from './ab-bins.ts';
import { labToRgbPixel, toU8 } from './lab.ts';

export const NUM_CANDIDATES = 10;
export const MAX_VARIANT = NUM_CANDIDATES - 1;

/**
 * The k most probable channels at position p of image n, descending (equal probabilities keep index
 * order), into topV/topI. Insertion into a sorted list of k (a full sort was most of Anchor Colors' time).
 */
function topAt(data: Float32Array, C: number, HW: number, n: number, p: number, k: number, topV: Float64Array, topI: Int32Array): void {
  let count = 0;
  for (let c = 0; c < C; c++) {
    const v = data[(n * C + c) * HW + p];
    if (count === k && !(v > topV[k - 1])) continue;
    let i = count < k ? count++ : k - 1;
    for (; i > 0 && topV[i - 1] < v; i--) {
      topV[i] = topV[i - 1];
      topI[i] = topI[i - 1];
    }
    topV[i] = v;
    topI[i] = c;
  }
}

/** The k most probable channels per position, descending; equal probabilities keep index order. */
export function topBinsTensor(probs: CpuTensor, k: number): { bins: CpuTensor; probs: CpuTensor } {
  const [N, C, H, W] = checkProbs(probs.shape, 'topBins');
  if (!(Number.isInteger(k) && k >= 1 && k <= C)) throw new Error(`topBins: k must be 1..${C}, got ${k}`);
  const HW = H * W;
  const bins = new Int32Array(N * k * HW), vals = new Float32Array(N * k * HW);
  const topV = new Float64Array(k), topI = new Int32Array(k);
  for (let n = 0; n < N; n++) for (let p = 0; p < HW; p++) {
    topAt(probs.data as Float32Array, C, HW, n, p, k, topV, topI);
    for (let r = 0; r < k; r++) {
      bins[(n * k + r) * HW + p] = topI[r];
      vals[(n * k + r) * HW + p] = topV[r];
    }
  }
  return { bins: cpuTensorI32([N, k, H, W], bins), probs: cpuTensor([N, k, H, W], vals) };
}

/** The NUM_CANDIDATES most probable bins at one token of probs [1,313,h,w] (what topBinsTensor gives there). */
export function candidatesOf(probs: CpuTensor, cell: number): number[] {
  const [, C, H, W] = checkProbs(probs.shape, 'anchorColors');
  const topV = new Float64Array(NUM_CANDIDATES), topI = new Int32Array(NUM_CANDIDATES);
  topAt(probs.data as Float32Array, C, H * W, 0, cell, NUM_CANDIDATES, topV, topI);
  return Array.from(topI);
}

function checkProbs(shape: readonly number[], what: string): [number, number, number, number] {
  if (shape.length !== 4) throw new Error(`${what}: expected probabilities [N,313,h,w], got [${shape.join('x')}]`);
  return shape as [number, number, number, number];
}

/** Squared distance between two bins in grid units (integers, so comparisons are exact). */
const gridDist2 = (i: number, j: number): number => {
  const da = (AB_BINS[2 * i] - AB_BINS[2 * j]) / 10, db = (AB_BINS[2 * i + 1] - AB_BINS[2 * j + 1]) / 10;
  return da * da + db * db;
};

/** Variant `variant`'s bin from candidate bins in rank order (most probable first). */
export function pickBin(candidates: ArrayLike<number>, variant: number): number {
  if (!(Number.isInteger(variant) && variant >= 0 && variant < candidates.length)) {
    throw new Error(`anchor colour variant must be 0..${candidates.length - 1}, got ${variant}`);
  }
  const picked = [0];
  while (picked.length <= variant) {
    let best = -1, bestScore = -1;
    for (let r = 0; r < candidates.length; r++) {
      if (picked.includes(r)) continue;
      // One earlier pick: compare squared distances (exact integers). Several: a sum of square roots,
      // where a 1e-9 margin keeps geometric ties tied so the lowest rank wins.
      const score = picked.length === 1
        ? gridDist2(candidates[r], candidates[0])
        : picked.reduce((s, q) => s + Math.sqrt(gridDist2(candidates[r], candidates[q])), 0);
      if (score > bestScore + (picked.length === 1 ? 0 : 1e-9)) { best = r; bestScore = score; }
    }
    picked.push(best);
  }
  return candidates[picked[variant]];
}

/** Bin centre in unscaled ab. */
export const binAb = (bin: number): [number, number] => [AB_BINS[2 * bin], AB_BINS[2 * bin + 1]];

/**
 * Sets `bin` and `ab` on every anchor. User anchors and reference-coloured anchors with a colour keep
 * it (bin = its nearest); every other anchor gets `autoBin(cell)`.
 */
export function assignAnchorColors(anchors: AnchorsValue, autoBin: (cell: number) => number): AnchorsValue {
  const cells = anchors.gridH * anchors.gridW;
  const out = anchors.anchors.map((a): Anchor => {
    if (!(Number.isInteger(a.cell) && a.cell >= 0 && a.cell < cells)) {
      throw new Error(`anchor at cell ${a.cell} lies outside the ${anchors.gridH}x${anchors.gridW} token grid`);
    }
    if ((a.source === 'user' || a.source === 'reference') && a.ab) return { ...a, bin: nearestBin(a.ab[0], a.ab[1]) };
    const bin = autoBin(a.cell);
    return { ...a, bin, ab: binAb(bin) };
  });
  return { ...anchors, anchors: out };
}

/** The top-10 candidates of one token from a [1,10,h,w] table. */
export function candidatesAt(top: CpuTensor, cell: number): number[] {
  const HW = top.shape[2] * top.shape[3];
  return Array.from({ length: top.shape[1] }, (_, r) => top.data[r * HW + cell]);
}

/** Nearest bin of the reference ab_n [1,2,h,w] at a token. */
export function referenceBinAt(abN: CpuTensor, cell: number): number {
  const HW = abN.shape[2] * abN.shape[3];
  return nearestBin(Math.fround(abN.data[cell] * AB_SCALE), Math.fround(abN.data[HW + cell] * AB_SCALE));
}

export function checkGrid(shape: readonly number[], anchors: AnchorsValue, channels: number, what: string): void {
  const ok = shape.length === 4 && shape[0] === 1 && shape[1] === channels && shape[2] === anchors.gridH && shape[3] === anchors.gridW;
  if (!ok) throw new Error(`${what}: expected [1,${channels},${anchors.gridH},${anchors.gridW}] for the anchors' grid, got [${shape.join('x')}]`);
}

/** Mask (anchor count per token) and one-hot(bin) x mask, as CPU arrays. */
export function anchorInputArrays(anchors: AnchorsValue, gridH: number, gridW: number): { mask: CpuTensor; onehot: CpuTensor } {
  if (anchors.gridH !== gridH || anchors.gridW !== gridW) {
    throw new Error(`anchors are on a ${anchors.gridH}x${anchors.gridW} grid but the generator's token grid is ${gridH}x${gridW}`);
  }
  const HW = gridH * gridW;
  const mask = new Float32Array(HW), onehot = new Float32Array(NUM_BINS * HW);
  for (const a of anchors.anchors) {
    if (!(Number.isInteger(a.cell) && a.cell >= 0 && a.cell < HW)) throw new Error(`anchor at cell ${a.cell} lies outside the ${gridH}x${gridW} token grid`);
    if (a.bin === undefined) throw new Error(`anchor at cell ${a.cell} has no colour bin yet: run Anchor Colors first`);
    mask[a.cell] += 1;
    onehot[a.bin * HW + a.cell] += 1;
  }
  return { mask: cpuTensor([1, 1, gridH, gridW], mask), onehot: cpuTensor([1, NUM_BINS, gridH, gridW], onehot) };
}

export const DIST_TILE = 32;
const SWATCH_L = 70;

/** Per token a tile of k bars: bin colour (at L=70), length = probability. Top-k tables are [1,k,h,w]. */
export function renderColorDistImage(bins: CpuTensor, probs: CpuTensor): ImageValue {
  const [, k, h, w] = bins.shape;
  const HW = h * w, T = DIST_TILE, inner = T - 2, barH = Math.max(1, Math.floor(inner / k));
  const width = w * T, height = h * T;
  const data = new Uint8ClampedArray(width * height * 4).fill(32);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  for (let cell = 0; cell < HW; cell++) {
    const x0 = (cell % w) * T + 1, y0 = Math.floor(cell / w) * T + 1;
    for (let r = 0; r < k; r++) {
      const [a, b] = binAb(bins.data[r * HW + cell]);
      const rgb = labToRgbPixel(SWATCH_L, a, b).map(toU8);
      const len = Math.round(Math.min(1, Math.max(0, probs.data[r * HW + cell])) * inner);
      for (let y = y0 + r * barH; y < Math.min(y0 + (r + 1) * barH - (barH > 2 ? 1 : 0), y0 + inner); y++) {
        for (let x = x0; x < x0 + inner; x++) {
          const o = (y * width + x) * 4;
          const s = x - x0 < len ? 1 : 0.25; // the bar, then a dim rest so the colour stays visible
          data[o] = rgb[0] * s; data[o + 1] = rgb[1] * s; data[o + 2] = rgb[2] * s;
        }
      }
    }
  }
  return { width, height, data, meta: { kind: 'color-distribution', k, gridH: h, gridW: w } };
}
