/**
 * SP-Diffusion on the CPU (SPEC §6): x(p) = sum over k of A_k(p) * t[cell(p) + offset_k], missing
 * neighbours count as 0, no renormalisation. Accumulated in float32, k = 0..8 in order, like the
 * official code and the WGSL kernel.
 */
import { kOffset, type SpGrid } from '../ops/superpixel-ops.ts';

export function spDiffuseArrays(tokens: Float32Array, C: number, assoc: Float32Array, g: SpGrid): Float32Array {
  const { H, W, h, w, cell } = g;
  const hw = H * W;
  const n = h * w;
  const out = new Float32Array(C * hw);
  const f = Math.fround;
  for (let y = 0; y < H; y++) {
    const cy = Math.floor(y / cell);
    for (let xx = 0; xx < W; xx++) {
      const cx = Math.floor(xx / cell);
      const p = y * W + xx;
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let k = 0; k < 9; k++) {
          const [dy, dx] = kOffset(k);
          const ny = cy + dy;
          const nx = cx + dx;
          if (ny < 0 || nx < 0 || ny >= h || nx >= w) continue;
          acc = f(acc + f(assoc[k * hw + p] * tokens[c * n + ny * w + nx]));
        }
        out[c * hw + p] = acc;
      }
    }
  }
  return out;
}
