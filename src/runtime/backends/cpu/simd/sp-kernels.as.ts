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
 * `wide` is scratch for one cell's association values as float64 (72 * cell^2 bytes): widened once
 * per cell instead of once per channel. cell % 4 == 0.
 */
export function poolBand(assoc: usize, x: usize, sums: usize, wide: usize, C: i32, W: i32, cell: i32): void {
  const plane = <usize>(cell * W) << 2;
  const w = W / cell;
  for (let cx = 0; cx < w; cx++) {
    // Per 4 pixels, the 9 values of A as float64 pairs: low lanes of k at 32k, high lanes at 32k + 16.
    let q = wide;
    for (let y = 0; y < cell; y++) {
      const p0 = <usize>(y * W + cx * cell) << 2, p1 = p0 + (<usize>cell << 2);
      for (let p = p0; p < p1; p += 16, q += 288) {
        for (let k: usize = 0; k < 9; k++) {
          const a = v128.load(assoc + p + k * plane);
          v128.store(q + 32 * k, lo(a));
          v128.store(q + 32 * k + 16, hi(a));
        }
      }
    }
    const end = q;
    for (let j = 0; j <= C; j++) {
      let s0 = f64x2.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, s8 = s0;
      if (j === 0) {
        for (q = wide; q < end; q += 288) {
          s0 = f64x2.add(f64x2.add(s0, v128.load(q)), v128.load(q + 16));
          s1 = f64x2.add(f64x2.add(s1, v128.load(q + 32)), v128.load(q + 48));
          s2 = f64x2.add(f64x2.add(s2, v128.load(q + 64)), v128.load(q + 80));
          s3 = f64x2.add(f64x2.add(s3, v128.load(q + 96)), v128.load(q + 112));
          s4 = f64x2.add(f64x2.add(s4, v128.load(q + 128)), v128.load(q + 144));
          s5 = f64x2.add(f64x2.add(s5, v128.load(q + 160)), v128.load(q + 176));
          s6 = f64x2.add(f64x2.add(s6, v128.load(q + 192)), v128.load(q + 208));
          s7 = f64x2.add(f64x2.add(s7, v128.load(q + 224)), v128.load(q + 240));
          s8 = f64x2.add(f64x2.add(s8, v128.load(q + 256)), v128.load(q + 272));
        }
      } else {
        const xp = x + <usize>(j - 1) * plane;
        q = wide;
        for (let y = 0; y < cell; y++) {
          const p0 = <usize>(y * W + cx * cell) << 2, p1 = p0 + (<usize>cell << 2);
          for (let p = p0; p < p1; p += 16, q += 288) {
            const v = v128.load(xp + p), vl = lo(v), vh = hi(v);
            s0 = f64x2.add(f64x2.add(s0, f64x2.mul(v128.load(q), vl)), f64x2.mul(v128.load(q + 16), vh));
            s1 = f64x2.add(f64x2.add(s1, f64x2.mul(v128.load(q + 32), vl)), f64x2.mul(v128.load(q + 48), vh));
            s2 = f64x2.add(f64x2.add(s2, f64x2.mul(v128.load(q + 64), vl)), f64x2.mul(v128.load(q + 80), vh));
            s3 = f64x2.add(f64x2.add(s3, f64x2.mul(v128.load(q + 96), vl)), f64x2.mul(v128.load(q + 112), vh));
            s4 = f64x2.add(f64x2.add(s4, f64x2.mul(v128.load(q + 128), vl)), f64x2.mul(v128.load(q + 144), vh));
            s5 = f64x2.add(f64x2.add(s5, f64x2.mul(v128.load(q + 160), vl)), f64x2.mul(v128.load(q + 176), vh));
            s6 = f64x2.add(f64x2.add(s6, f64x2.mul(v128.load(q + 192), vl)), f64x2.mul(v128.load(q + 208), vh));
            s7 = f64x2.add(f64x2.add(s7, f64x2.mul(v128.load(q + 224), vl)), f64x2.mul(v128.load(q + 240), vh));
            s8 = f64x2.add(f64x2.add(s8, f64x2.mul(v128.load(q + 256), vl)), f64x2.mul(v128.load(q + 272), vh));
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
