/**
 * AssemblyScript source of the k-means assignment step, alone or with the member sums (compiled by `npm run build:wasm` into
 * kmeans.wasm.ts; loaded by kmeans-simd.ts). Pointers are byte offsets into the imported memory.
 */

/**
 * Nearest centre of each of the n tokens: labels[t] = the j < k with the smallest float32 sum over
 * channels, in channel order from +0, of (x[t][ch] - centre_j[ch])^2; the first j on ties. The
 * centres are stored channel-major, padded to groups of four: centres[ch][j] at (ch * groups * 4 + j),
 * so four centres are measured side by side in the lanes of one float32x4. Each lane rounds every
 * step to float32 like the scalar definition, so the labels are the same.
 */
export function assign(x: usize, centres: usize, labels: usize, n: i32, c: i32, k: i32): void {
  for (let t = 0; t < n; t++) store<i32>(labels + (<usize>t << 2), nearest(x + (<usize>(t * c) << 2), centres, c, k));
}

/**
 * assign, and per centre the float64 sums (k x c, row-major) and the count of its tokens, added
 * in token order as shared/kmeans-loop.ts's memberSums adds them (the same sums).
 */
export function assignSum(x: usize, centres: usize, labels: usize, n: i32, c: i32, k: i32, sums: usize, counts: usize): void {
  memory.fill(sums, 0, <usize>(k * c) << 3);
  memory.fill(counts, 0, <usize>k << 2);
  const pairs = c & ~1;
  for (let t = 0; t < n; t++) {
    const row = x + (<usize>(t * c) << 2);
    const j = nearest(row, centres, c, k);
    store<i32>(labels + (<usize>t << 2), j);
    const cp = counts + (<usize>j << 2);
    store<i32>(cp, load<i32>(cp) + 1);
    const s = sums + (<usize>(j * c) << 3);
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
}

/** The nearest centre to the token row at `row` (see assign). */
// @ts-ignore: decorator
@inline function nearest(row: usize, centres: usize, c: i32, k: i32): i32 {
  const groups = (k + 3) >> 2;
  const rowBytes = <usize>(groups << 4);
  let best = 0;
  let bestD = f32.MAX_VALUE;
  let first = true;
  for (let g = 0; g < groups; g++) {
    let acc = f32x4.splat(0);
    let cp = centres + (<usize>g << 4);
    for (let ch = 0; ch < c; ch++) {
      const e = f32x4.sub(v128.load_splat<f32>(row + (<usize>ch << 2)), v128.load(cp));
      acc = f32x4.add(acc, f32x4.mul(e, e));
      cp += rowBytes;
    }
    const lanes = min(4, k - (g << 2));
    for (let l = 0; l < lanes; l++) {
      const d = l == 0 ? f32x4.extract_lane(acc, 0) : l == 1 ? f32x4.extract_lane(acc, 1) : l == 2 ? f32x4.extract_lane(acc, 2) : f32x4.extract_lane(acc, 3);
      if (first || d < bestD) {
        bestD = d;
        best = (g << 2) + l;
        first = false;
      }
    }
  }
  return best;
}
