/**
 * AssemblyScript source of the SIMD superpixel kernels (compiled by `npm run build:wasm` into
 * sp-kernels.wasm.ts, and with a shared memory into sp-kernels-shared.wasm.ts; loaded by simd.ts).
 * Each call works on one band: the `cell` pixel rows of one row of superpixel cells, W pixels wide,
 * with w = W / cell cells. Pointers are byte offsets into the imported memory and point at the
 * band's first row; the planes of the association map, of x and of the output are `aStride`,
 * `xStride`, `oStride` bytes apart (`cell * W` float32 values when the band is copied alone, H * W
 * when whole maps are in the memory). The JavaScript side lays out the inputs (and, for the sizes,
 * adds each cell's counts to its neighbours).
 */

/** Token c of the cell (ny, nx) of an h x w grid in `tok` (C x h x w float32), 0 outside the grid. */
// @ts-ignore: decorator
@inline function token(tok: usize, c: i32, ny: i32, nx: i32, h: i32, w: i32): v128 {
  if (ny < 0 || nx < 0 || ny >= h || nx >= w) return f32x4.splat(0);
  return v128.load_splat<f32>(tok + (<usize>((c * h + ny) * w + nx) << 2));
}

/**
 * SP-Diffusion of channels c0..c1-1 of band cy: out[c - c0][p] = sum over k = 0..8 of
 * A_k(p) * t[c][cell(p) + offset_k], in float32, k in order, starting from +0 (so the bits equal
 * the scalar definition; a neighbour outside the grid adds A_k(p) * 0 = +-0, which leaves a sum
 * that started from +0 unchanged). `tok` holds all tokens, C x h x w float32. cell % 4 == 0.
 */
export function diffuseBand(assoc: usize, aStride: usize, tok: usize, out: usize, oStride: usize, c0: i32, c1: i32, W: i32, cell: i32, cy: i32, h: i32): void {
  const plane = aStride;
  const w = W / cell;
  const zero = f32x4.splat(0);
  for (let cx = 0; cx < w; cx++) {
    for (let c = c0; c < c1; c++) {
      const t0 = token(tok, c, cy - 1, cx - 1, h, w), t1 = token(tok, c, cy - 1, cx, h, w), t2 = token(tok, c, cy - 1, cx + 1, h, w);
      const t3 = token(tok, c, cy, cx - 1, h, w), t4 = token(tok, c, cy, cx, h, w), t5 = token(tok, c, cy, cx + 1, h, w);
      const t6 = token(tok, c, cy + 1, cx - 1, h, w), t7 = token(tok, c, cy + 1, cx, h, w), t8 = token(tok, c, cy + 1, cx + 1, h, w);
      const o = out + <usize>(c - c0) * oStride;
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

/**
 * Adds the partial sums of source cell (cy, cx), one per neighbour k (s_k, four float32 lanes each),
 * to `sums` row j (float64, h x w per row) at the cells q + offset_k inside the grid.
 */
// @ts-ignore: decorator
@inline function addToNeighbours(sums: usize, j: i32, cy: i32, cx: i32, h: i32, w: i32,
  s0: v128, s1: v128, s2: v128, s3: v128, s4: v128, s5: v128, s6: v128, s7: v128, s8: v128): void {
  const row = sums + (<usize>(j * h * w) << 3);
  addAt(row, cy - 1, cx - 1, h, w, s0); addAt(row, cy - 1, cx, h, w, s1); addAt(row, cy - 1, cx + 1, h, w, s2);
  addAt(row, cy, cx - 1, h, w, s3); addAt(row, cy, cx, h, w, s4); addAt(row, cy, cx + 1, h, w, s5);
  addAt(row, cy + 1, cx - 1, h, w, s6); addAt(row, cy + 1, cx, h, w, s7); addAt(row, cy + 1, cx + 1, h, w, s8);
}

// @ts-ignore: decorator
@inline function addAt(row: usize, ny: i32, nx: i32, h: i32, w: i32, s: v128): void {
  if (ny < 0 || nx < 0 || ny >= h || nx >= w) return;
  const at = row + (<usize>(ny * w + nx) << 3);
  store<f64>(at, load<f64>(at) + <f64>sumLanes(s));
}

/**
 * SP-Pooling of band cy, the mass: adds sum over the pixels p of cell (cy, cx) of A_k(p) to row 0
 * of `sums` at cell (cy, cx) + offset_k, for every cell of the band.
 */
export function poolMassBand(assoc: usize, aStride: usize, sums: usize, W: i32, cell: i32, cy: i32, h: i32): void {
  const plane = aStride;
  const w = W / cell;
  for (let cx = 0; cx < w; cx++) {
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, s8 = s0;
    for (let y = 0; y < cell; y++) {
      const p0 = <usize>(y * W + cx * cell) << 2, p1 = p0 + (<usize>cell << 2);
      for (let p = p0; p < p1; p += 16) {
        const a = assoc + p;
        s0 = f32x4.add(s0, v128.load(a)); s1 = f32x4.add(s1, v128.load(a + plane)); s2 = f32x4.add(s2, v128.load(a + 2 * plane));
        s3 = f32x4.add(s3, v128.load(a + 3 * plane)); s4 = f32x4.add(s4, v128.load(a + 4 * plane)); s5 = f32x4.add(s5, v128.load(a + 5 * plane));
        s6 = f32x4.add(s6, v128.load(a + 6 * plane)); s7 = f32x4.add(s7, v128.load(a + 7 * plane)); s8 = f32x4.add(s8, v128.load(a + 8 * plane));
      }
    }
    addToNeighbours(sums, 0, cy, cx, h, w, s0, s1, s2, s3, s4, s5, s6, s7, s8);
  }
}

/**
 * SP-Pooling of band cy, channels j0..j1-1 (1-based: row j of `sums`; `x` points at channel j0): adds sum over the pixels p of cell (cy, cx) of A_k(p) * x_j(p) to row j of `sums` at
 * cell (cy, cx) + offset_k, for every cell of the band. Each partial sum runs in four float32 lanes
 * (cell^2 / 4 terms each, in pixel order), added pairwise, then in float64: its error is at most
 * (cell^2 / 4 + 3) float32 roundings of the sum of |A_k x_j| (sp-pool.ts). cell % 4 == 0.
 */
export function poolBand(assoc: usize, aStride: usize, x: usize, xStride: usize, sums: usize, j0: i32, j1: i32, W: i32, cell: i32, cy: i32, h: i32): void {
  const plane = aStride;
  const w = W / cell;
  for (let cx = 0; cx < w; cx++) {
    for (let j = j0; j < j1; j++) {
      let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0, s8 = s0;
      const xp = x + <usize>(j - j0) * xStride;
      for (let y = 0; y < cell; y++) {
        const p0 = <usize>(y * W + cx * cell) << 2, p1 = p0 + (<usize>cell << 2);
        for (let p = p0; p < p1; p += 16) {
          const a = assoc + p, v = v128.load(xp + p);
          s0 = f32x4.add(s0, f32x4.mul(v128.load(a), v));
          s1 = f32x4.add(s1, f32x4.mul(v128.load(a + plane), v));
          s2 = f32x4.add(s2, f32x4.mul(v128.load(a + 2 * plane), v));
          s3 = f32x4.add(s3, f32x4.mul(v128.load(a + 3 * plane), v));
          s4 = f32x4.add(s4, f32x4.mul(v128.load(a + 4 * plane), v));
          s5 = f32x4.add(s5, f32x4.mul(v128.load(a + 5 * plane), v));
          s6 = f32x4.add(s6, f32x4.mul(v128.load(a + 6 * plane), v));
          s7 = f32x4.add(s7, f32x4.mul(v128.load(a + 7 * plane), v));
          s8 = f32x4.add(s8, f32x4.mul(v128.load(a + 8 * plane), v));
        }
      }
      addToNeighbours(sums, j, cy, cx, h, w, s0, s1, s2, s3, s4, s5, s6, s7, s8);
    }
  }
}

/** The four lanes of a float32x4 added pairwise. */
// @ts-ignore: decorator
@inline function sumLanes(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Superpixel size counts of one band: counts[cx][k] = the number of pixels p of cell cx where A_k(p)
 * equals the maximum of the 9 values at p (int32; ties count for every k that reaches the maximum).
 * The band's 9 planes are `plane` bytes apart (a little more than a band: see simd.ts PLANE_PAD).
 * cell % 4 == 0. The maximum is taken with pmax (one instruction; max is several, for its NaN and
 * signed-zero rules): of values that are not NaN it is the same value, or a zero of the other sign,
 * which compares equal, so the counts are those of Math.max (an association map has no NaN). Each
 * value is loaded again for its comparison: nine values, nine counts and the maximum at once would
 * not fit the 16 vector registers.
 */
export function sizesBand(assoc: usize, plane: usize, counts: usize, W: i32, cell: i32): void {
  const w = W / cell;
  for (let cx = 0; cx < w; cx++) {
    let n0 = i32x4.splat(0), n1 = n0, n2 = n0, n3 = n0, n4 = n0, n5 = n0, n6 = n0, n7 = n0, n8 = n0;
    for (let y = 0; y < cell; y++) {
      const p0 = <usize>(y * W + cx * cell) << 2, p1 = p0 + (<usize>cell << 2);
      for (let p = p0; p < p1; p += 16) {
        const a = assoc + p;
        const m = f32x4.pmax(f32x4.pmax(f32x4.pmax(f32x4.pmax(v128.load(a), v128.load(a + plane)), f32x4.pmax(v128.load(a + 2 * plane), v128.load(a + 3 * plane))),
          f32x4.pmax(f32x4.pmax(v128.load(a + 4 * plane), v128.load(a + 5 * plane)), f32x4.pmax(v128.load(a + 6 * plane), v128.load(a + 7 * plane)))), v128.load(a + 8 * plane));
        // A lane of f32x4.eq is all ones (-1) where equal: subtracting it counts one.
        n0 = i32x4.sub(n0, f32x4.eq(v128.load(a), m)); n1 = i32x4.sub(n1, f32x4.eq(v128.load(a + plane), m));
        n2 = i32x4.sub(n2, f32x4.eq(v128.load(a + 2 * plane), m)); n3 = i32x4.sub(n3, f32x4.eq(v128.load(a + 3 * plane), m));
        n4 = i32x4.sub(n4, f32x4.eq(v128.load(a + 4 * plane), m)); n5 = i32x4.sub(n5, f32x4.eq(v128.load(a + 5 * plane), m));
        n6 = i32x4.sub(n6, f32x4.eq(v128.load(a + 6 * plane), m)); n7 = i32x4.sub(n7, f32x4.eq(v128.load(a + 7 * plane), m));
        n8 = i32x4.sub(n8, f32x4.eq(v128.load(a + 8 * plane), m));
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
