/**
 * The parts of DISCO's sine position encoding (docs/disco-method.md §7) that the CPU and WGSL kernels share: the
 * channel count, the per-channel divisors and the scaled coordinate, all rounded to float32 in the
 * reference's order.
 */
export const POS_FEATS = 32;
const f = Math.fround;

/** dim_i = 10000^(2*floor(i/2)/32) in float32, i = 0..31. */
export function posencDims(): Float32Array<ArrayBuffer> {
  const d = new Float32Array(POS_FEATS);
  for (let i = 0; i < POS_FEATS; i++) d[i] = f(Math.pow(10000, f(f(2 * Math.floor(i / 2)) / POS_FEATS)));
  return d;
}

/** The scaled coordinate of 1-based position `p` on an axis of length `n`: p/(n + 1e-6) * 2*pi. */
export function posencCoord(p: number, n: number): number {
  return f(f(p / f(n + 1e-6)) * f(2 * Math.PI));
}

export function checkGrid(h: number, w: number): void {
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1 || h > 4096 || w > 4096) {
    throw new Error(`position encoding: grid must be whole numbers in 1..4096, got ${h}x${w}`);
  }
}
