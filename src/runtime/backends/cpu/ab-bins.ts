/**
 * The 313 quantised ab bins (docs/disco-method.md §3): centres on a 10-unit grid, index order a ascending then b
 * ascending. Encoding picks the nearest centre (lowest index on exact ties); soft encoding weights the
 * 5 nearest with a Gaussian of sigma 5. Also the channel softmax that turns logits into probabilities.
 */
import { cpuTensor, cpuTensorI32, type CpuTensor } from '../../values/tensor.ts';
import { AB_BINS, AB_SCALE, NUM_BINS, SOFT_NEIGHBOURS, SOFT_SIGMA } from '../common/ab-bins.ts';

/** Squared distance from (a, b) to bin `k`. */
const dist2 = (a: number, b: number, k: number): number => {
  const da = a - AB_BINS[2 * k], db = b - AB_BINS[2 * k + 1];
  return da * da + db * db;
};

/** Nearest bin to unscaled (a, b); the first (lowest index) wins exact ties. */
export function nearestBin(a: number, b: number): number {
  let best = 0, bestD = Infinity;
  for (let k = 0; k < NUM_BINS; k++) {
    const d = dist2(a, b, k);
    if (d < bestD) { bestD = d; best = k; }
  }
  return best;
}

/** The 5 nearest bins of unscaled (a, b) with normalised Gaussian weights. */
export function softEncodePixel(a: number, b: number): { bins: number[]; weights: number[] } {
  const near: { k: number; d: number }[] = [];
  for (let k = 0; k < NUM_BINS; k++) {
    const d = dist2(a, b, k);
    if (near.length < SOFT_NEIGHBOURS || d < near[near.length - 1].d) {
      let i = Math.min(near.length, SOFT_NEIGHBOURS - 1);
      near[i] = { k, d };
      while (i > 0 && near[i - 1].d > d) { [near[i - 1], near[i]] = [near[i], near[i - 1]]; i--; }
    }
  }
  const w = near.map(({ d }) => Math.exp(-d / (2 * SOFT_SIGMA * SOFT_SIGMA)));
  const sum = w.reduce((s, v) => s + v, 0);
  return { bins: near.map((n) => n.k), weights: w.map((v) => v / sum) };
}

function planes(t: CpuTensor, channels: number, what: string): { N: number; HW: number } {
  if (t.shape.length !== 4 || t.shape[1] !== channels) throw new Error(`${what}: expected [N,${channels},H,W], got [${t.shape.join('x')}]`);
  return { N: t.shape[0], HW: t.shape[2] * t.shape[3] };
}

/** Unscaled ab of a normalised value, rounded to float32 as the official code computes it. */
const unscale = (v: number): number => Math.fround(v * AB_SCALE);

export function encodeAbTensor(abN: CpuTensor): CpuTensor {
  const { N, HW } = planes(abN, 2, 'encodeAb');
  const out = new Int32Array(N * HW);
  for (let n = 0; n < N; n++) for (let p = 0; p < HW; p++) {
    out[n * HW + p] = nearestBin(unscale(abN.data[(2 * n) * HW + p]), unscale(abN.data[(2 * n + 1) * HW + p]));
  }
  return cpuTensorI32([N, 1, abN.shape[2], abN.shape[3]], out);
}

export function softEncodeAbTensor(abN: CpuTensor): CpuTensor {
  const { N, HW } = planes(abN, 2, 'softEncodeAb');
  const out = new Float32Array(N * NUM_BINS * HW);
  for (let n = 0; n < N; n++) for (let p = 0; p < HW; p++) {
    const { bins, weights } = softEncodePixel(unscale(abN.data[(2 * n) * HW + p]), unscale(abN.data[(2 * n + 1) * HW + p]));
    bins.forEach((k, i) => { out[(n * NUM_BINS + k) * HW + p] = weights[i]; });
  }
  return cpuTensor([N, NUM_BINS, abN.shape[2], abN.shape[3]], out);
}

export function decodeBinsTensor(labels: CpuTensor): CpuTensor {
  const { N, HW } = planes(labels, 1, 'decodeBins');
  const out = new Float32Array(N * 2 * HW);
  for (let n = 0; n < N; n++) for (let p = 0; p < HW; p++) {
    const k = labels.data[n * HW + p];
    if (!(k >= 0 && k < NUM_BINS)) throw new Error(`decodeBins: label ${k} at position ${p} is not a bin index 0..312`);
    out[2 * n * HW + p] = AB_BINS[2 * k] / AB_SCALE;
    out[(2 * n + 1) * HW + p] = AB_BINS[2 * k + 1] / AB_SCALE;
  }
  return cpuTensor([N, 2, labels.shape[2], labels.shape[3]], out);
}

/** Softmax over the channel axis, max-subtracted, float32 exp. */
export function softmaxChannelsTensor(logits: CpuTensor): CpuTensor {
  if (logits.shape.length !== 4) throw new Error(`softmax: expected [N,C,H,W], got [${logits.shape.join('x')}]`);
  const [N, C, H, W] = logits.shape;
  const HW = H * W, x = logits.data;
  const out = new Float32Array(N * C * HW);
  // Plane by plane (contiguous), with each pixel's running max and sum in an array: the same
  // arithmetic, in the same order per pixel, as a loop over channels for one pixel at a time.
  const mx = new Float64Array(HW), sum = new Float64Array(HW);
  for (let n = 0; n < N; n++) {
    const base = n * C * HW;
    mx.fill(-Infinity);
    sum.fill(0);
    for (let c = 0; c < C; c++) for (let p = 0, i = base + c * HW; p < HW; p++, i++) mx[p] = Math.max(mx[p], x[i]);
    for (let c = 0; c < C; c++) {
      for (let p = 0, i = base + c * HW; p < HW; p++, i++) {
        const e = Math.fround(Math.exp(x[i] - mx[p]));
        out[i] = e;
        sum[p] += e;
      }
    }
    for (let c = 0; c < C; c++) for (let p = 0, i = base + c * HW; p < HW; p++, i++) out[i] = out[i] / sum[p];
  }
  return cpuTensor([N, C, H, W], out);
}
