/** One float32 ulp of v (the spacing of float32 values at v's exponent; subnormals' below 2^-126). */
export const ulp = (v: number): number => 2 ** (Math.max(Math.floor(Math.log2(Math.abs(v))), -126) - 23);

/** The largest difference between a and b in float32 ulps of b. */
export function ulps(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`ulps: ${a.length} values against ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / ulp(b[i]));
  return worst;
}
