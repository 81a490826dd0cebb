/**
 * SP-Pooling on the CPU (SPEC §6), the reference for the WGSL kernel. Every pixel p of cell q sends
 * A_k(p) x(p) to the cell q + offset_k (dropped outside the grid); both sums are scaled by 1/cell^2
 * before the 1e-8, as the official 9 shifted average-pools do. Sums run in float64.
 */
import { kOffset, type SpGrid } from '../ops/superpixel-ops.ts';

export function spPoolArrays(x: Float32Array, C: number, assoc: Float32Array, g: SpGrid): { pooled: Float32Array; mass: Float32Array } {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  const n = h * w;
  const num = new Float64Array(C * n);
  const den = new Float64Array(n);
  for (let y = 0; y < H; y++) {
    const cy = Math.floor(y / cell);
    for (let xx = 0; xx < W; xx++) {
      const cx = Math.floor(xx / cell);
      const p = y * W + xx;
      for (let k = 0; k < 9; k++) {
        const [dy, dx] = kOffset(k);
        const ny = cy + dy;
        const nx = cx + dx;
        if (ny < 0 || nx < 0 || ny >= h || nx >= w) continue;
        const j = ny * w + nx;
        const a = assoc[k * hw + p];
        den[j] += a;
        for (let c = 0; c < C; c++) num[c * n + j] += a * x[c * hw + p];
      }
    }
  }
  const inv = 1 / (cell * cell);
  const pooled = new Float32Array(C * n);
  const mass = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const d = den[j] * inv;
    mass[j] = d;
    for (let c = 0; c < C; c++) pooled[c * n + j] = (num[c * n + j] * inv) / (d + 1e-8);
  }
  return { pooled, mass };
}
