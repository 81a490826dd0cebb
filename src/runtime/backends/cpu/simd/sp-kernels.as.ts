/**
 * AssemblyScript source of the SIMD superpixel kernels (compiled by `npm run build:wasm` into
 * sp-kernels.wasm.ts; loaded by simd.ts). Each call works on one band: the `cell` pixel rows of one
 * row of superpixel cells, W pixels wide, with w = W / cell cells. Pointers are byte offsets into the
 * imported memory; planes are `cell * W` float32 values. The JavaScript side lays out the inputs and
 * handles the grid geometry (which neighbour is where, what is out of the grid).
 */

/**
 * SP-Diffusion of one band: out[c][p] = sum over k = 0..8 of A_k(p) * t[cx][c][k], in float32, k in
 * order, starting from +0 (so the bits equal the scalar definition). `tok` holds the band's
 * neighbour tokens, w x C x 9 float32 (0 for neighbours outside the grid). cell % 4 == 0.
 */
export function diffuseBand(assoc: usize, tok: usize, out: usize, C: i32, W: i32, cell: i32): void {
  const plane = <usize>(cell * W) << 2;
  const w = W / cell;
  const zero = f32x4.splat(0);
  for (let cx = 0; cx < w; cx++) {
    for (let c = 0; c < C; c++) {
      const t = tok + (<usize>((cx * C + c) * 9) << 2);
      const t0 = v128.load_splat<f32>(t), t1 = v128.load_splat<f32>(t + 4), t2 = v128.load_splat<f32>(t + 8);
      const t3 = v128.load_splat<f32>(t + 12), t4 = v128.load_splat<f32>(t + 16), t5 = v128.load_splat<f32>(t + 20);
      const t6 = v128.load_splat<f32>(t + 24), t7 = v128.load_splat<f32>(t + 28), t8 = v128.load_splat<f32>(t + 32);
      const o = out + <usize>c * plane;
      for (let y = 0; y < cell; y++) {
        const p0 = <usize>(y * W + cx * cell) << 2, p1 = p0 + (<usize>cell << 2);
        for (let p = p0; p < p1; p += 16) {
          const a = assoc + p;
          let s = f32x4.add(zero, f32x4.mul(v128.load(a), t0));
          s = f32x4.add(s, f32x4.mul(v128.load(a + plane), t1));
          s = f32x4.add(s, f32x4.mul(v128.load(a + 2 * plane), t2));
          s = f32x4.add(s, f32x4.mul(v128.load(a + 3 * plane), t3));
          s = f32x4.add(s, f32x4.mul(v128.load(a + 4 * plane), t4));
          s = f32x4.add(s, f32x4.mul(v128.load(a + 5 * plane), t5));
          s = f32x4.add(s, f32x4.mul(v128.load(a + 6 * plane), t6));
          s = f32x4.add(s, f32x4.mul(v128.load(a + 7 * plane), t7));
          s = f32x4.add(s, f32x4.mul(v128.load(a + 8 * plane), t8));
          v128.store(o + p, s);
        }
      }
    }
  }
}

/** The low two lanes and the high two lanes of a float32x4, each as float64x2 (exact). */
// @ts-ignore: decorator
@inline function lo(v: v128): v128 { return f64x2.promote_low_f32x4(v); }
// @ts-ignore: decorator
@inline function hi(v: v128): v128 { return f64x2.promote_low_f32x4(v128.shuffle<i64>(v, v, 1, 0)); }

/**
 * SP-Pooling partial sums of one band, in float64: sums[cx][j][k] = sum over the pixels p of cell
 * cx of A_k(p) * x_j(p), where j = 0 is the mass (x = 1) and j = 1..C the channels of `x` (C planes).
 * Products of two float32 are exact in float64; each sum is kept in two lanes and added at the end.
 * cell % 4 == 0.
 */
export function poolBand(assoc: usize, x: usize, sums: usize, C: i32, W: i32, cell: i32): void {
  const plane = <usize>(cell * W) << 2;
  const w = W / cell;
  for (let cx = 0; cx < w; cx++) {
    for (let j = 0; j <= C; j++) {
      let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, s8 = s0;
      const xp = x + <usize>(j - 1) * plane;
      for (let y = 0; y < cell; y++) {
        const p0 = <usize>(y * W + cx * cell) << 2, p1 = p0 + (<usize>cell << 2);
        for (let p = p0; p < p1; p += 16) {
          const a = assoc + p;
          let a0 = v128.load(a), a1 = v128.load(a + plane), a2 = v128.load(a + 2 * plane);
          let a3 = v128.load(a + 3 * plane), a4 = v128.load(a + 4 * plane), a5 = v128.load(a + 5 * plane);
          let a6 = v128.load(a + 6 * plane), a7 = v128.load(a + 7 * plane), a8 = v128.load(a + 8 * plane);
          if (j > 0) {
            const v = v128.load(xp + p), vl = lo(v), vh = hi(v);
            s0 = f64x2.add(f64x2.add(s0, f64x2.mul(lo(a0), vl)), f64x2.mul(hi(a0), vh));
            s1 = f64x2.add(f64x2.add(s1, f64x2.mul(lo(a1), vl)), f64x2.mul(hi(a1), vh));
            s2 = f64x2.add(f64x2.add(s2, f64x2.mul(lo(a2), vl)), f64x2.mul(hi(a2), vh));
            s3 = f64x2.add(f64x2.add(s3, f64x2.mul(lo(a3), vl)), f64x2.mul(hi(a3), vh));
            s4 = f64x2.add(f64x2.add(s4, f64x2.mul(lo(a4), vl)), f64x2.mul(hi(a4), vh));
            s5 = f64x2.add(f64x2.add(s5, f64x2.mul(lo(a5), vl)), f64x2.mul(hi(a5), vh));
            s6 = f64x2.add(f64x2.add(s6, f64x2.mul(lo(a6), vl)), f64x2.mul(hi(a6), vh));
            s7 = f64x2.add(f64x2.add(s7, f64x2.mul(lo(a7), vl)), f64x2.mul(hi(a7), vh));
            s8 = f64x2.add(f64x2.add(s8, f64x2.mul(lo(a8), vl)), f64x2.mul(hi(a8), vh));
          } else {
            s0 = f64x2.add(f64x2.add(s0, lo(a0)), hi(a0));
            s1 = f64x2.add(f64x2.add(s1, lo(a1)), hi(a1));
            s2 = f64x2.add(f64x2.add(s2, lo(a2)), hi(a2));
            s3 = f64x2.add(f64x2.add(s3, lo(a3)), hi(a3));
            s4 = f64x2.add(f64x2.add(s4, lo(a4)), hi(a4));
            s5 = f64x2.add(f64x2.add(s5, lo(a5)), hi(a5));
            s6 = f64x2.add(f64x2.add(s6, lo(a6)), hi(a6));
            s7 = f64x2.add(f64x2.add(s7, lo(a7)), hi(a7));
            s8 = f64x2.add(f64x2.add(s8, lo(a8)), hi(a8));
          }
        }
      }
      const o = sums + (<usize>((cx * (C + 1) + j) * 9) << 3);
      store<f64>(o, f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1));
      store<f64>(o + 8, f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
      store<f64>(o + 16, f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1));
      store<f64>(o + 24, f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1));
      store<f64>(o + 32, f64x2.extract_lane(s4, 0) + f64x2.extract_lane(s4, 1));
      store<f64>(o + 40, f64x2.extract_lane(s5, 0) + f64x2.extract_lane(s5, 1));
      store<f64>(o + 48, f64x2.extract_lane(s6, 0) + f64x2.extract_lane(s6, 1));
      store<f64>(o + 56, f64x2.extract_lane(s7, 0) + f64x2.extract_lane(s7, 1));
      store<f64>(o + 64, f64x2.extract_lane(s8, 0) + f64x2.extract_lane(s8, 1));
    }
  }
}

/**
 * Superpixel size counts of one band: counts[cx][k] = the number of pixels p of cell cx where A_k(p)
 * equals the maximum of the 9 values at p (int32; ties count for every k that reaches the maximum).
 * cell % 4 == 0.
 */
export function sizesBand(assoc: usize, counts: usize, W: i32, cell: i32): void {
  const plane = <usize>(cell * W) << 2;
  const w = W / cell;
  for (let cx = 0; cx < w; cx++) {
    let n0 = i32x4.splat(0), n1 = n0, n2 = n0, n3 = n0, n4 = n0, n5 = n0, n6 = n0, n7 = n0, n8 = n0;
    for (let y = 0; y < cell; y++) {
      const p0 = <usize>(y * W + cx * cell) << 2, p1 = p0 + (<usize>cell << 2);
      for (let p = p0; p < p1; p += 16) {
        const a = assoc + p;
        const a0 = v128.load(a), a1 = v128.load(a + plane), a2 = v128.load(a + 2 * plane);
        const a3 = v128.load(a + 3 * plane), a4 = v128.load(a + 4 * plane), a5 = v128.load(a + 5 * plane);
        const a6 = v128.load(a + 6 * plane), a7 = v128.load(a + 7 * plane), a8 = v128.load(a + 8 * plane);
        const m = f32x4.max(f32x4.max(f32x4.max(f32x4.max(a0, a1), f32x4.max(a2, a3)), f32x4.max(f32x4.max(a4, a5), f32x4.max(a6, a7))), a8);
        // A lane of f32x4.eq is all ones (-1) where equal: subtracting it counts one.
        n0 = i32x4.sub(n0, f32x4.eq(a0, m)); n1 = i32x4.sub(n1, f32x4.eq(a1, m)); n2 = i32x4.sub(n2, f32x4.eq(a2, m));
        n3 = i32x4.sub(n3, f32x4.eq(a3, m)); n4 = i32x4.sub(n4, f32x4.eq(a4, m)); n5 = i32x4.sub(n5, f32x4.eq(a5, m));
        n6 = i32x4.sub(n6, f32x4.eq(a6, m)); n7 = i32x4.sub(n7, f32x4.eq(a7, m)); n8 = i32x4.sub(n8, f32x4.eq(a8, m));
      }
    }
    const o = counts + (<usize>(cx * 9) << 2);
    store<i32>(o, sum4(n0)); store<i32>(o + 4, sum4(n1)); store<i32>(o + 8, sum4(n2));
    store<i32>(o + 12, sum4(n3)); store<i32>(o + 16, sum4(n4)); store<i32>(o + 20, sum4(n5));
    store<i32>(o + 24, sum4(n6)); store<i32>(o + 28, sum4(n7)); store<i32>(o + 32, sum4(n8));
  }
}

// @ts-ignore: decorator
@inline function sum4(v: v128): i32 {
  return i32x4.extract_lane(v, 0) + i32x4.extract_lane(v, 1) + i32x4.extract_lane(v, 2) + i32x4.extract_lane(v, 3);
}
