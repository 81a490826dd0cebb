/**
 * Colours from a reference photo (Reference Colors, docs/disco-method.md §17): each anchor of the photo
 * takes the pooled colour of the reference superpixel whose colour feature (the Color Modeler's Fc,
 * what the Anchor Locator clusters) is nearest.
 *
 * Confidence is a ratio test on colours: d1 is the distance to the nearest reference token, d2 the
 * distance to the nearest token whose colour differs from the winner's by more than COLOUR_SEP (ab
 * units). confidence = 1 - d1 / d2: near 0 when another colour is about as close (the match could
 * as well have given that colour), near 1 when the winner's colour stands out. Neighbouring tokens
 * of the same colour do not lower it, unlike a plain nearest/second-nearest ratio. A reference of
 * one colour gives 1.
 */
import type { CpuTensor } from '../values/tensor.ts';

export type FeatureDistance = 'cosine' | 'l2';

/** Two colours closer than this (Lab ab units, about one bin spacing and a half) count as the same. */
export const COLOUR_SEP = 15;

export interface TokenMatch {
  /** The nearest reference token. */
  readonly token: number;
  /** Its distance and that of the nearest token of another colour (Infinity when there is none). */
  readonly d1: number;
  readonly d2: number;
  readonly confidence: number;
}

/** Channel-major features [1,C,h,w] as one unit-length (cosine) or raw (l2) vector per token. */
function vectors(t: CpuTensor, unit: boolean): Float64Array[] {
  const [, C, h, w] = t.shape;
  const n = h * w;
  const out = Array.from({ length: n }, () => new Float64Array(C));
  for (let c = 0; c < C; c++) for (let i = 0; i < n; i++) out[i][c] = t.data[c * n + i];
  if (unit) {
    for (const v of out) {
      let s = 0;
      for (const x of v) s += x * x;
      const norm = Math.sqrt(s) || 1;
      for (let c = 0; c < C; c++) v[c] /= norm;
    }
  }
  return out;
}

function distance(a: Float64Array, b: Float64Array, kind: FeatureDistance): number {
  let s = 0;
  if (kind === 'cosine') {
    for (let c = 0; c < a.length; c++) s += a[c] * b[c];
    return Math.max(0, 1 - s);
  }
  for (let c = 0; c < a.length; c++) s += (a[c] - b[c]) ** 2;
  return Math.sqrt(s);
}

function check(t: CpuTensor, what: string): void {
  if (t.shape.length !== 4 || t.shape[0] !== 1) throw new Error(`${what} must be [1,C,h,w], got [${t.shape.join('x')}]`);
}

/**
 * For each of `cells` (token indices of the photo), the best reference token. `photo` and `reference`
 * are colour features [1,C,h,w] (grids may differ, C must agree); `referenceAb` is the reference's
 * pooled colour [1,2,h',w'] in unscaled ab.
 */
export function matchReference(
  photo: CpuTensor, cells: readonly number[], reference: CpuTensor, referenceAb: CpuTensor, kind: FeatureDistance,
): TokenMatch[] {
  check(photo, 'the photo features');
  check(reference, 'the reference features');
  if (photo.shape[1] !== reference.shape[1]) {
    throw new Error(`the photo has ${photo.shape[1]} feature channels and the reference ${reference.shape[1]}: both must come from the same Color Modeler`);
  }
  const [, , rh, rw] = reference.shape;
  const n = rh * rw;
  if (referenceAb.shape.length !== 4 || referenceAb.shape[1] !== 2 || referenceAb.shape[2] !== rh || referenceAb.shape[3] !== rw) {
    throw new Error(`the reference colours must be [1,2,${rh},${rw}] like its features, got [${referenceAb.shape.join('x')}]`);
  }
  const P = vectors(photo, kind === 'cosine'), R = vectors(reference, kind === 'cosine');
  const ab = referenceAb.data;
  const dists = new Float64Array(n);
  return cells.map((cell) => {
    if (!(Number.isInteger(cell) && cell >= 0 && cell < P.length)) throw new Error(`anchor cell ${cell} is outside the photo's ${P.length} tokens`);
    let token = 0;
    for (let j = 0; j < n; j++) {
      dists[j] = distance(P[cell], R[j], kind);
      if (dists[j] < dists[token]) token = j;
    }
    const [a, b] = [ab[token], ab[n + token]];
    let d2 = Infinity;
    for (let j = 0; j < n; j++) {
      if (dists[j] < d2 && (ab[j] - a) ** 2 + (ab[n + j] - b) ** 2 > COLOUR_SEP ** 2) d2 = dists[j];
    }
    const d1 = dists[token];
    const confidence = d2 === Infinity ? 1 : d2 > 0 ? Math.min(1, Math.max(0, 1 - d1 / d2)) : 0;
    return { token, d1, d2, confidence };
  });
}

/** The normalised box [x0, y0, x1, y1] of token `token` in the photo whose content covers `content` working pixels. */
export function tokenBox(
  token: number, gridW: number, cell: number, content: { width: number; height: number },
): [number, number, number, number] {
  const row = Math.floor(token / gridW), col = token % gridW;
  const fx = (v: number) => Math.min(1, (v * cell) / content.width), fy = (v: number) => Math.min(1, (v * cell) / content.height);
  return [fx(col), fy(row), fx(col + 1), fy(row + 1)];
}
