/**
 * The CPU assignment step of DISCO's k-means (the loop itself is shared: shared/kmeans-loop.ts).
 */
import type { KMeansOptions, KMeansResult } from '../ops/anchor-ops.ts';
import { kmeansLoop, type TokenRows } from '../shared/kmeans-loop.ts';

const f = Math.fround;

/**
 * Nearest centre per token. Distances are float32 sums accumulated in channel order, like the
 * WGSL kernel, so both backends agree label for label.
 */
export function assignCpu(x: TokenRows, centres: Float32Array, k: number): Int32Array {
  const { data, n, c } = x;
  const labels = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    let best = 0;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      let d = 0;
      for (let ch = 0; ch < c; ch++) {
        const diff = f(data[t * c + ch] - centres[j * c + ch]);
        d = f(d + f(diff * diff));
      }
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    labels[t] = best;
  }
  return labels;
}

/** The CPU k-means: the loop with the CPU assignment step. */
export function kmeansCpu(x: TokenRows, opts: KMeansOptions): Promise<KMeansResult> {
  return kmeansLoop(x, opts, (centres) => assignCpu(x, centres, opts.k));
}
