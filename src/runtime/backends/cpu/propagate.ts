/**
 * Training-free colour propagation over the token grid on the CPU (the reference for the WGSL
 * version). A Levin-style graph Laplacian ("Colorization using Optimization", 2004) on superpixels:
 * - graph: 8-neighbour token grid, w_ij = exp(-||t_i - t_j||^2 / sigma^2);
 * - seeds: hard constraints (x_i = seed ab / 110);
 * - start: each free token takes a feature-space Gaussian mix of the seed colours,
 *   sum_s g_s ab_s / sum_s g_s with g_s = exp(-(d_s - min_s d_s) / sigma^2), d_s = ||t_i - t_seed||^2,
 *   so tokens cut off from every seed by strong edges still get the most similar seed's colour;
 * - then Jacobi sweeps x_i <- sum_j w_ij x_j / sum_j w_ij (x_i kept when sum_j w_ij < 1e-12), which
 *   converge to the harmonic solution of the Laplacian with the seeds fixed.
 * Output: normalised ab (ab/110), [2, h*w].
 */
import { seedIndex, type ColorSeed, type PropagateOptions } from '../ops/superpixel-ops.ts';
import { AB_SCALE } from '../common/ab-bins.ts';
import { checkPropagateOptions } from '../common/superpixel-checks.ts';

/** The 8 neighbour offsets (dy, dx) of the Laplacian, row-major without the centre. */
export const NEIGHBOURS8: readonly (readonly [number, number])[] = [
  [-1, -1], [-1, 0], [-1, 1], [0, -1], [0, 1], [1, -1], [1, 0], [1, 1],
];

function dist2(t: Float32Array, C: number, n: number, i: number, j: number): number {
  let s = 0;
  for (let c = 0; c < C; c++) {
    const e = t[c * n + i] - t[c * n + j];
    s += e * e;
  }
  return s;
}

export function propagateArrays(
  tokens: Float32Array, C: number, h: number, w: number, seeds: readonly ColorSeed[], opts: PropagateOptions,
): Float32Array {
  checkPropagateOptions(opts);
  const n = h * w;
  const fixed = seedIndex(seeds, h, w);
  const inv = 1 / (opts.sigma * opts.sigma);
  const seedAb = Float32Array.from(seeds.flatMap((s) => [s.ab[0] / AB_SCALE, s.ab[1] / AB_SCALE]));

  // Neighbour weights, [8, n], 0 outside the grid.
  const wts = new Float32Array(8 * n);
  for (let i = 0; i < n; i++) {
    const y = Math.floor(i / w);
    const x = i % w;
    NEIGHBOURS8.forEach(([dy, dx], k) => {
      const ny = y + dy;
      const nx = x + dx;
      if (ny >= 0 && nx >= 0 && ny < h && nx < w) wts[k * n + i] = Math.exp(-dist2(tokens, C, n, i, ny * w + nx) * inv);
    });
  }

  let cur = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    if (fixed[i] >= 0) {
      cur[i] = seedAb[2 * fixed[i]];
      cur[n + i] = seedAb[2 * fixed[i] + 1];
      continue;
    }
    const d = seeds.map((s) => dist2(tokens, C, n, i, s.cell));
    const dmin = Math.min(...d);
    let z = 0, a = 0, b = 0;
    d.forEach((ds, s) => {
      const gs = Math.exp(-(ds - dmin) * inv);
      z += gs;
      a += gs * seedAb[2 * s];
      b += gs * seedAb[2 * s + 1];
    });
    cur[i] = a / z;
    cur[n + i] = b / z;
  }

  let next = new Float32Array(2 * n);
  for (let it = 0; it < opts.iterations; it++) {
    for (let i = 0; i < n; i++) {
      if (fixed[i] >= 0) {
        next[i] = cur[i];
        next[n + i] = cur[n + i];
        continue;
      }
      const y = Math.floor(i / w);
      const x = i % w;
      let z = 0, a = 0, b = 0;
      NEIGHBOURS8.forEach(([dy, dx], k) => {
        const wk = wts[k * n + i];
        if (wk === 0) return;
        const j = (y + dy) * w + (x + dx);
        z += wk;
        a += wk * cur[j];
        b += wk * cur[n + j];
      });
      next[i] = z < 1e-12 ? cur[i] : a / z;
      next[n + i] = z < 1e-12 ? cur[n + i] : b / z;
    }
    [cur, next] = [next, cur];
  }
  return cur;
}
