/**
 * The WebAssembly SIMD superpixel kernels (sp-kernels.as.ts), for SP-Diffuse and SP-Pool: about 6x
 * and 3x faster than the best TypeScript loops, with the same arithmetic (float32 for diffusion,
 * so the same bits; float64 sums for pooling). Node, browsers and workers with WebAssembly SIMD
 * (Chrome 91, Firefox 89, Safari 16.4) run them; elsewhere `simdKernels()` is null and the callers
 * use their TypeScript loops. The module is tiny (2 KB), compiled once, synchronously.
 *
 * Work goes one band (one row of superpixel cells) at a time through one shared memory, so the
 * memory stays a few MB however large the image: inputs are copied in, results copied out.
 */
import type { SpGrid } from '../../ops/superpixel-ops.ts';
import { neighbourCells } from '../sp-neighbours.ts';
import { instantiateModule } from './instantiate.ts';
import { WASM_BASE64 } from './sp-kernels.wasm.ts';

interface Exports {
  diffuseBand(assoc: number, tok: number, out: number, C: number, W: number, cell: number): void;
  poolBand(assoc: number, x: number, sums: number, wide: number, C: number, W: number, cell: number): void;
  sizesBand(assoc: number, counts: number, W: number, cell: number): void;
}

export interface SimdKernels {
  /** SP-Diffusion, bit for bit the scalar float32 definition. Needs cell % 4 == 0. */
  diffuse(tokens: Float32Array, C: number, assoc: Float32Array, g: SpGrid): Float32Array;
  /**
   * SP-Pooling partial sums of band `cy` (float64, w x (C+1) x 9: per source cell, the mass then
   * each channel, 9 neighbours in k order). A view into the shared memory: read it before the next call.
   */
  poolBand(x: Float32Array, C: number, assoc: Float32Array, g: SpGrid, cy: number): Float64Array;
  /**
   * Superpixel size counts of band `cy` (int32, w x 9: per source cell, the pixels where neighbour k
   * holds the maximum association). A view into the shared memory: read it before the next call.
   */
  sizesBand(assoc: Float32Array, g: SpGrid, cy: number): Int32Array;
}

let loaded: SimdKernels | null | undefined;

/** The kernels, or null where WebAssembly SIMD is missing. */
export function simdKernels(): SimdKernels | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

function load(): SimdKernels | null {
  const module = instantiateModule<Exports>(WASM_BASE64);
  if (!module) return null;
  const { memory, wasm } = module;

  /** Float32/Float64 views of the memory with at least `bytes` bytes (grows it when needed). */
  const reserve = (bytes: number) => {
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return { f32: new Float32Array(memory.buffer), f64: new Float64Array(memory.buffer) };
  };
  /** Copies band cy of the 9 association planes to float32 index 0 of `f32`. */
  const copyAssoc = (f32: Float32Array, assoc: Float32Array, g: SpGrid, cy: number) => {
    const plane = g.cell * g.W, hw = g.H * g.W;
    for (let k = 0; k < 9; k++) f32.set(assoc.subarray(k * hw + cy * plane, k * hw + (cy + 1) * plane), k * plane);
  };
  const idx = new Int32Array(9);

  return {
    diffuse(tokens, C, assoc, g) {
      const { H, W, h, w, cell } = g;
      const hw = H * W, n = h * w, plane = cell * W;
      const tokAt = 9 * plane, outAt = (tokAt + w * C * 9 + 3) & ~3; // float32 indices, 16-byte aligned
      const { f32 } = reserve(4 * (outAt + C * plane));
      const out = new Float32Array(C * hw);
      for (let cy = 0; cy < h; cy++) {
        copyAssoc(f32, assoc, g, cy);
        for (let cx = 0; cx < w; cx++) {
          neighbourCells(idx, cy, cx, h, w);
          for (let c = 0; c < C; c++) {
            const t = tokAt + (cx * C + c) * 9;
            for (let k = 0; k < 9; k++) f32[t + k] = idx[k] < 0 ? 0 : tokens[c * n + idx[k]];
          }
        }
        wasm.diffuseBand(0, 4 * tokAt, 4 * outAt, C, W, cell);
        for (let c = 0; c < C; c++) out.set(f32.subarray(outAt + c * plane, outAt + (c + 1) * plane), c * hw + cy * plane);
      }
      return out;
    },

    poolBand(x, C, assoc, g, cy) {
      const { H, W, w, cell } = g;
      const hw = H * W, plane = cell * W;
      const xAt = 9 * plane, sumsAt = 4 * (xAt + C * plane); // bytes; a multiple of 16
      const wideAt = sumsAt + ((8 * w * (C + 1) * 9 + 15) & ~15); // bytes: one cell's A as float64 (scratch)
      const { f32, f64 } = reserve(wideAt + 72 * cell * cell);
      copyAssoc(f32, assoc, g, cy);
      for (let c = 0; c < C; c++) f32.set(x.subarray(c * hw + cy * plane, c * hw + (cy + 1) * plane), xAt + c * plane);
      wasm.poolBand(0, 4 * xAt, sumsAt, wideAt, C, W, cell);
      return f64.subarray(sumsAt / 8, sumsAt / 8 + w * (C + 1) * 9);
    },

    sizesBand(assoc, g, cy) {
      const countsAt = 4 * 9 * g.cell * g.W; // bytes, after the band's association planes
      reserve(countsAt + 4 * 9 * g.w);
      copyAssoc(new Float32Array(memory.buffer), assoc, g, cy);
      wasm.sizesBand(0, countsAt, g.W, g.cell);
      return new Int32Array(memory.buffer, countsAt, 9 * g.w);
    },
  };
}
