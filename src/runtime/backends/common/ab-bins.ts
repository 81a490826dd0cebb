/**
 * The 313 quantised ab bins (docs/disco-method.md §3): centres on a 10-unit grid, index order a ascending then b
 * ascending, and the constants of their (soft) encoding. Shared by the CPU and WGSL kernels and the
 * editor's swatches.
 */
export const NUM_BINS = 313;
export const AB_SCALE = 110;
export const SOFT_NEIGHBOURS = 5;
export const SOFT_SIGMA = 5;

/** Valid b range per a = -90, -80, ..., 100 (inclusive, step 10). */
const B_RANGES: readonly [number, number, number][] = [
  [-90, 50, 90], [-80, 20, 90], [-70, 0, 90], [-60, -20, 90], [-50, -30, 100], [-40, -40, 100],
  [-30, -50, 100], [-20, -50, 100], [-10, -60, 100], [0, -70, 100], [10, -80, 90], [20, -80, 90],
  [30, -90, 90], [40, -100, 90], [50, -100, 80], [60, -110, 80], [70, -110, 80], [80, -110, 70],
  [90, -110, 70], [100, -90, 0],
];

/** Bin centres, interleaved (a, b), unscaled Lab units, in index order. */
export const AB_BINS: Int32Array = (() => {
  const out: number[] = [];
  for (const [a, lo, hi] of B_RANGES) for (let b = lo; b <= hi; b += 10) out.push(a, b);
  if (out.length !== 2 * NUM_BINS) throw new Error(`ab bin table has ${out.length / 2} bins, expected ${NUM_BINS}`);
  return Int32Array.from(out);
})();
