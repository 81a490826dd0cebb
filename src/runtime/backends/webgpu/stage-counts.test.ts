/**
 * Dispatches and readbacks per stage must not grow with the input. Each WebGPU op the nodes use runs
 * twice, on a small and a large case (32 vs 64 px, 4x4 vs 8x8 tokens, 3 vs 6 anchors), and both runs
 * must make the same number of compute dispatches and GPU->CPU readbacks (GpuContext's counters).
 * Per-pixel dispatches, per-anchor readbacks or a readback per k-means iteration would all fail here:
 * on a software adapter each one waits for everything queued before it.
 */
import { describe, expect, it } from 'vitest';
import { getGpuBackend } from '../../../../test/helpers/gpu.ts';
import { cpuTensor, cpuTensorI32, type Tensor } from '../../values/tensor.ts';
import type { Anchor, AnchorsValue, ImageValue } from '../../values/types.ts';
import { MT19937 } from '../common/mt19937.ts';

type Backend = Awaited<ReturnType<typeof getGpuBackend>>;

/** One case of a size: pixels S x S, cell 8 (tokens S/8 x S/8), K anchors. */
interface Case { S: number; K: number }
const SMALL: Case = { S: 32, K: 3 };
const LARGE: Case = { S: 64, K: 6 };
const CELL = 8;

function random(n: number, seed: number, scale = 1): Float32Array {
  const rng = new MT19937(seed);
  return Float32Array.from({ length: n }, () => (rng.random() - 0.5) * scale);
}

function image(S: number): ImageValue {
  const data = new Uint8ClampedArray(S * S * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + (i >> 5)) % 256;
  return { width: S, height: S, data };
}

/** A valid association map [1,9,S,S]: positive weights that sum to 1 per pixel. */
function assoc(S: number): Tensor {
  const n = S * S, raw = random(9 * n, 3).map((v) => v + 1);
  for (let p = 0; p < n; p++) {
    let z = 0;
    for (let k = 0; k < 9; k++) z += raw[k * n + p];
    for (let k = 0; k < 9; k++) raw[k * n + p] /= z;
  }
  return cpuTensor([1, 9, S, S], raw);
}

/** Softmax-like probabilities [1,313,h,w]. */
function probs(h: number, w: number): Tensor {
  const n = h * w, p = random(313 * n, 4).map((v) => v + 1);
  for (let t = 0; t < n; t++) {
    let z = 0;
    for (let c = 0; c < 313; c++) z += p[c * n + t];
    for (let c = 0; c < 313; c++) p[c * n + t] /= z;
  }
  return cpuTensor([1, 313, h, w], p);
}

function anchors(c: Case, withBins: boolean): AnchorsValue {
  const g = c.S / CELL;
  const list: Anchor[] = Array.from({ length: c.K }, (_, i) => ({
    cell: (i * 5) % (g * g), x: 0.5, y: 0.5, source: 'auto',
    ...(withBins ? { bin: 100 + i, ab: [10, -10 * i] as const } : {}),
  }));
  return { gridH: g, gridW: g, anchors: list };
}

/** Every stage's WebGPU op on GPU-resident inputs of case `c` (inputs uploaded before counting). */
const STAGES: Record<string, (b: Backend, c: Case) => Promise<() => Promise<unknown>>> = {
  'RGB to Lab': async (b, { S }) => () => b.rgbToLab(image(S)),
  'Drop Chroma': async (b, { S }) => () => b.dropChroma(image(S)),
  'Lab to RGB': async (b, { S }) => { const lab = await b.upload(cpuTensor([1, 3, S, S], random(3 * S * S, 1, 100))); return () => b.labToRgb(lab); },
  'Resize to Working Size': async (b, { S }) => {
    const lab = await b.upload(cpuTensor([1, 3, S, S], random(3 * S * S, 1, 100)));
    return () => b.resizeToWorking({ lab, content: { width: S, height: S - 5 } }, S / 2, true);
  },
  'Normalize Lab': async (b, { S }) => { const t = await b.upload(cpuTensor([1, 2, S, S], random(2 * S * S, 2))); return () => b.normalizeLab(t, 'ab'); },
  'Slice Channels': async (b, { S }) => { const t = await b.upload(cpuTensor([1, 3, S, S], random(3 * S * S, 2))); return () => b.sliceChannels(t, 1, 2); },
  Recombine: async (b, { S }) => {
    const lab = await b.upload(cpuTensor([1, 3, 2 * S, 2 * S], random(12 * S * S, 1, 100)));
    const ab = await b.upload(cpuTensor([1, 2, S, S], random(2 * S * S, 2)));
    return () => b.recombine({ lab, content: { width: 2 * S, height: 2 * S } }, ab, { width: S, height: S });
  },
  'Encode ab': async (b, { S }) => { const t = await b.upload(cpuTensor([1, 2, S, S], random(2 * S * S, 2))); return () => b.encodeAb(t); },
  'Soft-encode ab': async (b, { S }) => { const t = await b.upload(cpuTensor([1, 2, S, S], random(2 * S * S, 2))); return () => b.softEncodeAb(t); },
  'Decode bins': async (b, { S }) => { const t = await b.upload(cpuTensorI32([1, 1, S, S], Int32Array.from({ length: S * S }, (_, i) => i % 313))); return () => b.decodeBins(t); },
  Softmax: async (b, { S }) => { const t = await b.upload(cpuTensor([1, 313, S / CELL, S / CELL], random(313 * (S / CELL) ** 2, 5))); return () => b.softmaxChannels(t); },
  'Top bins': async (b, { S }) => { const t = await b.upload(probs(S / CELL, S / CELL)); return () => b.topBins(t, 10); },
  'Anchor Colors': async (b, c) => { const t = await b.upload(probs(c.S / CELL, c.S / CELL)); return () => b.anchorColors(t, anchors(c, false), { variant: 1 }); },
  'Anchor inputs': async (b, c) => async () => b.anchorInputs(anchors(c, true), c.S / CELL, c.S / CELL),
  'Color distribution picture': async (b, { S }) => { const t = await b.upload(probs(S / CELL, S / CELL)); return () => b.renderColorDist(t, 5); },
  'Superpixel Pool': async (b, { S }) => {
    const x = await b.upload(cpuTensor([1, 16, S, S], random(16 * S * S, 6)));
    const A = await b.upload(assoc(S));
    return () => b.spPool(x, A, CELL);
  },
  'Superpixel Diffuse': async (b, { S }) => {
    const t = await b.upload(cpuTensor([1, 16, S / CELL, S / CELL], random(16 * (S / CELL) ** 2, 7)));
    const A = await b.upload(assoc(S));
    return () => b.spDiffuse(t, A, CELL);
  },
  'Superpixel sizes': async (b, { S }) => { const A = await b.upload(assoc(S)); return () => b.spSizes(A, CELL); },
  'Hard labels': async (b, { S }) => { const A = await b.upload(assoc(S)); return () => b.hardLabels(A, CELL); },
  'Superpixel overlay': async (b, { S }) => { const A = await b.upload(assoc(S)); return () => b.superpixelOverlay(image(S), A, CELL); },
  SLIC: async (b, { S }) => {
    const lab = await b.upload(cpuTensor([1, 3, S, S], random(3 * S * S, 8, 100)));
    return () => b.slicAffinity(lab, { cell: CELL, iterations: 3, compactness: 10 });
  },
  'Colour propagation': async (b, c) => {
    const g = c.S / CELL;
    const t = await b.upload(cpuTensor([1, 8, g, g], random(8 * g * g, 9)));
    const seeds = anchors(c, true).anchors.map((a) => ({ cell: a.cell, ab: a.ab! }));
    return () => b.propagateSeeds(t, seeds, { sigma: 1, iterations: 10 });
  },
  'Position encoding': async (b, { S }) => () => b.positionEncoding(S / CELL, S / CELL),
  'Anchor Locator': async (b, c) => {
    const g = c.S / CELL;
    const t = await b.upload(cpuTensor([1, 64, g, g], random(64 * g * g, 10)));
    const sizes = await b.upload(cpuTensor([1, 1, g, g], random(g * g, 11).map((v) => v + 1)));
    return () => b.locateAnchors(t, sizes, { k: c.K, seed: 0 });
  },
};

async function counts(b: Backend, make: (b: Backend, c: Case) => Promise<() => Promise<unknown>>, c: Case) {
  const run = await make(b, c);
  await b.gpu.device.queue.onSubmittedWorkDone();
  const before = { dispatches: b.gpu.dispatches, readbacks: b.gpu.readbacks };
  await run();
  return { dispatches: b.gpu.dispatches - before.dispatches, readbacks: b.gpu.readbacks - before.readbacks };
}

describe('WebGPU dispatches and readbacks per stage do not grow with the input', () => {
  it.each(Object.keys(STAGES))('%s', async (name) => {
    const b = await getGpuBackend();
    const small = await counts(b, STAGES[name], SMALL);
    const large = await counts(b, STAGES[name], LARGE);
    expect(large).toEqual(small);
    expect(small.dispatches + small.readbacks).toBeLessThanOrEqual(16); // a handful, not per element
  });

  it('counts what it claims to: a larger SLIC iteration count does add dispatches', async () => {
    const b = await getGpuBackend();
    const lab = await b.upload(cpuTensor([1, 3, 32, 32], random(3 * 32 * 32, 8, 100)));
    const d0 = b.gpu.dispatches;
    await b.slicAffinity(lab, { cell: CELL, iterations: 2, compactness: 10 });
    const d1 = b.gpu.dispatches;
    await b.slicAffinity(lab, { cell: CELL, iterations: 4, compactness: 10 });
    expect(b.gpu.dispatches - d1).toBeGreaterThan(d1 - d0);
  });
});
