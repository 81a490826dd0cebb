/**
 * AssemblyScript source of the k-means assignment step, alone or with the member sums (compiled by `npm run build:wasm` into
 * kmeans.wasm.ts; loaded by kmeans-simd.ts). Pointers are byte offsets into the imported memory.
 *
 * Nearest centre of each of the n tokens: the j < k with the smallest float32 sum over channels, in
 * channel order from +0, of (x[t][ch] - centre_j[ch])^2; the first j on ties. The centres are stored
 * channel-major, padded to groups of four: centres[ch][j] at (ch * groups * 4 + j), so four centres
 * are measured side by side in the lanes of one float32x4. Each lane rounds every step to float32
 * like the scalar definition, so the labels are the same. Two tokens and two groups go through the
 * channels together: each sum waits on its own previous step (a float add's latency), and four
 * independent sums keep the core busy where one would leave it idle most of the time.
 * `dist`: scratch for two tokens' distances (2 x groups x 4 float32).
 */

export function assign(x: usize, centres: usize, labels: usize, n: i32, c: i32, k: i32, dist: usize): void {
  const groups = (k + 3) >> 2, distB = dist + (<usize>groups << 4);
  for (let t = 0; t < n; t += 2) {
    const u = t + 1 < n ? t + 1 : t; // an odd last token is measured twice
    distances(x + (<usize>(t * c) << 2), x + (<usize>(u * c) << 2), centres, c, groups, dist, distB);
    store<i32>(labels + (<usize>t << 2), nearest(dist, k));
    store<i32>(labels + (<usize>u << 2), nearest(distB, k));
  }
}

/**
 * assign, and per centre the float64 sums (k x c, row-major) and the count of its tokens, added
 * in token order as common/kmeans-loop.ts's memberSums adds them (the same sums).
 */
export function assignSum(x: usize, centres: usize, labels: usize, n: i32, c: i32, k: i32, sums: usize, counts: usize, dist: usize): void {
  memory.fill(sums, 0, <usize>(k * c) << 3);
  memory.fill(counts, 0, <usize>k << 2);
  const groups = (k + 3) >> 2, distB = dist + (<usize>groups << 4);
  for (let t = 0; t < n; t += 2) {
    const rowA = x + (<usize>(t * c) << 2);
    if (t + 1 < n) {
      const rowB = rowA + (<usize>c << 2);
      distances(rowA, rowB, centres, c, groups, dist, distB);
      add(rowA, t, nearest(dist, k), labels, c, sums, counts);
      add(rowB, t + 1, nearest(distB, k), labels, c, sums, counts);
    } else {
      distances(rowA, rowA, centres, c, groups, dist, distB);
      add(rowA, t, nearest(dist, k), labels, c, sums, counts);
    }
  }
}

/** Token t (its row at `row`) joins centre j: its label, its centre's count and float64 sums. */
// @ts-ignore: decorator
@inline function add(row: usize, t: i32, j: i32, labels: usize, c: i32, sums: usize, counts: usize): void {
  store<i32>(labels + (<usize>t << 2), j);
  const cp = counts + (<usize>j << 2);
  store<i32>(cp, load<i32>(cp) + 1);
  const s = sums + (<usize>(j * c) << 3);
  const pairs = c & ~1;
  let ch = 0;
  for (; ch < pairs; ch += 2) {
    const at = s + (<usize>ch << 3);
    v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(v128.load64_zero(row + (<usize>ch << 2)))));
  }
  for (; ch < c; ch++) {
    const at = s + (<usize>ch << 3);
    store<f64>(at, load<f64>(at) + <f64>load<f32>(row + (<usize>ch << 2)));
  }
}

/** Squared distances of the tokens at rowA and rowB to every centre, into distA and distB (groups x 4 float32 each). */
// @ts-ignore: decorator
@inline function distances(rowA: usize, rowB: usize, centres: usize, c: i32, groups: i32, distA: usize, distB: usize): void {
  const rowBytes = <usize>(groups << 4);
  let g = 0;
  for (; g + 1 < groups; g += 2) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
    let cp = centres + (<usize>g << 4);
    for (let ch = 0; ch < c; ch++) {
      const xa = v128.load_splat<f32>(rowA + (<usize>ch << 2)), xb = v128.load_splat<f32>(rowB + (<usize>ch << 2));
      const m0 = v128.load(cp), m1 = v128.load(cp, 16);
      const ea0 = f32x4.sub(xa, m0), ea1 = f32x4.sub(xa, m1), eb0 = f32x4.sub(xb, m0), eb1 = f32x4.sub(xb, m1);
      a0 = f32x4.add(a0, f32x4.mul(ea0, ea0));
      a1 = f32x4.add(a1, f32x4.mul(ea1, ea1));
      b0 = f32x4.add(b0, f32x4.mul(eb0, eb0));
      b1 = f32x4.add(b1, f32x4.mul(eb1, eb1));
      cp += rowBytes;
    }
    const o = <usize>g << 4;
    v128.store(distA + o, a0);
    v128.store(distA + o, a1, 16);
    v128.store(distB + o, b0);
    v128.store(distB + o, b1, 16);
  }
  if (g < groups) {
    let a0 = f32x4.splat(0), b0 = f32x4.splat(0);
    let cp = centres + (<usize>g << 4);
    for (let ch = 0; ch < c; ch++) {
      const m0 = v128.load(cp);
      const ea = f32x4.sub(v128.load_splat<f32>(rowA + (<usize>ch << 2)), m0), eb = f32x4.sub(v128.load_splat<f32>(rowB + (<usize>ch << 2)), m0);
      a0 = f32x4.add(a0, f32x4.mul(ea, ea));
      b0 = f32x4.add(b0, f32x4.mul(eb, eb));
      cp += rowBytes;
    }
    v128.store(distA + (<usize>g << 4), a0);
    v128.store(distB + (<usize>g << 4), b0);
  }
}

/** The first j < k with the smallest of the k distances at `dist`. */
// @ts-ignore: decorator
@inline function nearest(dist: usize, k: i32): i32 {
  let best = 0;
  let bestD = load<f32>(dist);
  for (let j = 1; j < k; j++) {
    const d = load<f32>(dist + (<usize>j << 2));
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  return best;
}
