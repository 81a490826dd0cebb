/**
 * The colour brush (as in DISCO's demo): a painted stroke becomes user anchors. The stroke mask is
 * pooled through the association map like SP-Pooling pools features: superpixel j collects
 * sum_p mask(p) * A_k(p) over the pixels p and directions k that point at j. A superpixel whose
 * stroke mass is at least `threshold` (default half) of its own mass gets an anchor, at its cell's
 * centre (so User Anchors puts it in that very token, as long as the centre lies on the photo), with the stroke's colour.
 */
import { cellCentre, WHOLE, type PhotoFit } from '../values/anchors.ts';
import type { CpuTensor } from '../values/tensor.ts';
import { gridOf, kOffset } from '../backends/ops/superpixel-ops.ts';

/** One entry of User Anchors' `anchors` list. */
export interface StrokeAnchor {
  readonly x: number;
  readonly y: number;
  readonly color: string;
}

/** Per superpixel: the association mass under the mask, and its whole mass ([h*w] each). */
export function poolMask(assoc: CpuTensor, cell: number, mask: Uint8Array): { stroke: Float64Array; own: Float64Array } {
  if (assoc.shape.length !== 4 || assoc.shape[0] !== 1 || assoc.shape[1] !== 9) {
    throw new Error(`brush: the association map must be [1,9,H,W], got [${assoc.shape.join('x')}]`);
  }
  const [H, W] = [assoc.shape[2], assoc.shape[3]];
  const g = gridOf(H, W, cell, 'brush: the association map');
  if (mask.length !== H * W) throw new Error(`brush: the stroke mask has ${mask.length} pixels, the association map ${W}x${H} = ${H * W}`);
  const stroke = new Float64Array(g.h * g.w);
  const own = new Float64Array(g.h * g.w);
  const A = assoc.data;
  for (let y = 0; y < H; y++) {
    const row = Math.floor(y / cell);
    for (let x = 0; x < W; x++) {
      const col = Math.floor(x / cell);
      const p = y * W + x;
      const painted = mask[p] !== 0;
      for (let k = 0; k < 9; k++) {
        const [dy, dx] = kOffset(k);
        const r = row + dy, c = col + dx;
        if (r < 0 || r >= g.h || c < 0 || c >= g.w) continue;
        const a = A[k * H * W + p];
        own[r * g.w + c] += a;
        if (painted) stroke[r * g.w + c] += a;
      }
    }
  }
  return { stroke, own };
}

/**
 * The user anchors a stroke makes: one per superpixel it covers by at least `threshold` of its mass.
 * The mask is at the association map's size; `fit` says how much of it the photo fills (Keep
 * Aspect pads it), so the anchors' x, y are on the photo as User Anchors expects.
 */
export function anchorsFromStroke(assoc: CpuTensor, cell: number, mask: Uint8Array, color: string, threshold = 0.5, fit: PhotoFit = WHOLE): StrokeAnchor[] {
  if (!/^#[0-9a-fA-F]{6}$/.test(color)) throw new Error(`brush: colour must look like #a1b2c3, got ${JSON.stringify(color)}`);
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`brush: threshold must be in (0, 1], got ${threshold}`);
  const { stroke, own } = poolMask(assoc, cell, mask);
  const [h, w] = [assoc.shape[2] / cell, assoc.shape[3] / cell];
  const out: StrokeAnchor[] = [];
  for (let j = 0; j < own.length; j++) {
    if (own[j] > 0 && stroke[j] >= threshold * own[j]) out.push({ ...cellCentre(j, h, w, fit), color });
  }
  return out;
}
