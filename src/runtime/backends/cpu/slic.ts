/**
 * Training-free association map on the CPU: soft SLIC (the differentiable SLIC of SSN, Jampani et
 * al. 2018), the reference for the WGSL version.
 *
 * Features per pixel: f = [L, a, b, m*y/cell, m*x/cell] / SLIC_COLOR_UNIT, with m the compactness
 * (SLIC's m: one cell of spatial distance costs as much as m Lab units of colour difference) and
 * SLIC_COLOR_UNIT = 10 Lab units per feature unit, which keeps the softmax below neither flat nor
 * one-hot on photos. Gray photos work too (a = b = 0 just adds nothing).
 * Centres start as plain cell means. Each step: A_k(p) = softmax over the in-grid k of
 * -||f(p) - centre(cell(p) + offset_k)||^2 (0 for out-of-grid k), then, between steps,
 * centres = SP-Pooling of f with A.
 */
import { kOffset, SLIC_COLOR_UNIT, type SlicOptions, type SpGrid } from '../ops/superpixel-ops.ts';
import { SLIC_FEATURES } from '../common/superpixel-checks.ts';
import { spPoolArrays } from './sp-pool.ts';

export function slicFeatures(lab: Float32Array, g: SpGrid, compactness: number): Float32Array {
  const { H, W, cell } = g;
  const hw = H * W;
  const f = new Float32Array(SLIC_FEATURES * hw);
  const cs = 1 / SLIC_COLOR_UNIT;
  const ps = compactness / (cell * SLIC_COLOR_UNIT);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      for (let c = 0; c < 3; c++) f[c * hw + p] = lab[c * hw + p] * cs;
      f[3 * hw + p] = y * ps;
      f[4 * hw + p] = x * ps;
    }
  }
  return f;
}

export function cellMeans(f: Float32Array, C: number, g: SpGrid): Float32Array {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  const sums = new Float64Array(C * h * w);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const j = Math.floor(y / cell) * w + Math.floor(x / cell);
      for (let c = 0; c < C; c++) sums[c * h * w + j] += f[c * hw + y * W + x];
    }
  }
  return Float32Array.from(sums, (s) => s / (cell * cell));
}

export function slicAssign(f: Float32Array, centres: Float32Array, g: SpGrid): Float32Array {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  const n = h * w;
  const A = new Float32Array(9 * hw);
  const d = new Float64Array(9);
  for (let y = 0; y < H; y++) {
    const cy = Math.floor(y / cell);
    for (let x = 0; x < W; x++) {
      const cx = Math.floor(x / cell);
      const p = y * W + x;
      let dmin = Infinity;
      for (let k = 0; k < 9; k++) {
        const [dy, dx] = kOffset(k);
        const ny = cy + dy;
        const nx = cx + dx;
        d[k] = Infinity;
        if (ny < 0 || nx < 0 || ny >= h || nx >= w) continue;
        const j = ny * w + nx;
        let s = 0;
        for (let c = 0; c < SLIC_FEATURES; c++) {
          const e = f[c * hw + p] - centres[c * n + j];
          s += e * e;
        }
        d[k] = s;
        dmin = Math.min(dmin, s);
      }
      let z = 0;
      for (let k = 0; k < 9; k++) z += d[k] === Infinity ? 0 : Math.exp(dmin - d[k]);
      for (let k = 0; k < 9; k++) A[k * hw + p] = d[k] === Infinity ? 0 : Math.exp(dmin - d[k]) / z;
    }
  }
  return A;
}

export function slicArrays(lab: Float32Array, g: SpGrid, opts: SlicOptions): Float32Array {
  const f = slicFeatures(lab, g, opts.compactness);
  let centres = cellMeans(f, SLIC_FEATURES, g);
  let A = slicAssign(f, centres, g);
  for (let it = 1; it < opts.iterations; it++) {
    centres = spPoolArrays(f, SLIC_FEATURES, A, g).pooled;
    A = slicAssign(f, centres, g);
  }
  return A;
}
