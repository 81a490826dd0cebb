/**
 * The CPU assignment step of DISCO's k-means (the loop itself is shared: common/kmeans-loop.ts).
 */
import type { KMeansOptions, KMeansResult } from '../ops/anchor-ops.ts';
import { kmeansLoop, type TokenRows } from '../common/kmeans-loop.ts';
import { simdAssign, simdAssignSum } from './simd/kmeans-simd.ts';

const f = Math.fround;

/**
 * Nearest centre per token. Distances are float32 sums accumulated in channel order, like the
 * WGSL kernel, so both backends agree label for label. Four centres are measured at once: four
 * independent float32 sums keep the CPU busy where one sum would wait on its own rounding chain
 * (each sum still adds its channels in order, so the bits are the same).
 */
export function assignCpu(x: TokenRows, centres: Float32Array, k: number): Int32Array {
  const { data, n, c } = x;
  const labels = new Int32Array(n);
  const dist = new Float32Array(k);
  for (let t = 0; t < n; t++) {
    const row = t * c;
    let j = 0;
    for (; j + 4 <= k; j += 4) {
      const c0 = j * c, c1 = c0 + c, c2 = c1 + c, c3 = c2 + c;
      let d0 = 0, d1 = 0, d2 = 0, d3 = 0;
      for (let ch = 0; ch < c; ch++) {
        const v = data[row + ch];
        const e0 = f(v - centres[c0 + ch]), e1 = f(v - centres[c1 + ch]);
        const e2 = f(v - centres[c2 + ch]), e3 = f(v - centres[c3 + ch]);
        d0 = f(d0 + f(e0 * e0));
        d1 = f(d1 + f(e1 * e1));
        d2 = f(d2 + f(e2 * e2));
        d3 = f(d3 + f(e3 * e3));
      }
      dist[j] = d0; dist[j + 1] = d1; dist[j + 2] = d2; dist[j + 3] = d3;
    }
    for (; j < k; j++) {
      let d = 0;
      for (let ch = 0; ch < c; ch++) {
        const e = f(data[row + ch] - centres[j * c + ch]);
        d = f(d + f(e * e));
      }
      dist[j] = d;
    }
    let best = 0;
    for (let i = 1; i < k; i++) if (dist[i] < dist[best]) best = i;
    labels[t] = best;
  }
  return labels;
}

/** The assignment step: the WebAssembly SIMD kernel where it runs (same labels), else assignCpu. */
export function assignFast(x: TokenRows, centres: Float32Array, k: number): Int32Array {
  const simd = simdAssign();
  return simd ? simd(x.data, x.n, x.c, centres, k) : assignCpu(x, centres, k);
}

/**
 * The CPU k-means: the loop with the CPU assignment step. With WebAssembly SIMD the step also adds up
 * each centre's members (the same float64 sums) and the tokens stay in the module's memory between
 * steps: about half the time of a step (bench/README.md, "Parameter-free stages").
 */
export function kmeansCpu(x: TokenRows, opts: KMeansOptions): Promise<KMeansResult> {
  const simd = simdAssignSum(), run = {};
  return kmeansLoop(x, opts, (centres) => (simd ? simd(x.data, x.n, x.c, centres, opts.k, run) : assignCpu(x, centres, opts.k)));
}
