/**
 * AssemblyScript source of the k-means assignment step (compiled by `npm run build:wasm` into
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
  const groups = (k + 3) >> 2;
  const rowBytes = <usize>(groups << 4);
  for (let t = 0; t < n; t++) {
    const row = x + (<usize>(t * c) << 2);
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
    store<i32>(labels + (<usize>t << 2), best);
  }
}
