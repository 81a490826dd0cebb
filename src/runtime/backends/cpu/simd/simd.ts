/**
 * The WebAssembly SIMD superpixel kernels (sp-kernels.as.ts), for SP-Diffuse and SP-Pool: about 8x
 * and 6x faster than the best TypeScript loops. Diffusion has the same arithmetic (float32, so the
 * same bits); pooling sums each cell in float32 lanes instead of float64 (the error bound is in
 * sp-pool.ts). Node, browsers and workers with WebAssembly SIMD
 * (Chrome 91, Firefox 89, Safari 16.4) run them; elsewhere `simdKernels()` is null and the callers
 * use their TypeScript loops. The module is tiny (2 KB), compiled once, synchronously.
 *
 * Work goes one band (one row of superpixel cells) at a time through one memory, so the memory
 * stays a few MB however large the image: inputs are copied in, results copied out, a group of
 * channels at a time while it is in the core's cache (diffuseBandOut, poolBandFrom). In the CLI,
 * sp-threads.ts runs the same kernels on two threads, each band on one of them.
 */
import { arrayPool } from '../../../values/array-pool.ts';
import type { SpGrid } from '../../ops/superpixel-ops.ts';
import { ensureBytes, instantiateModule } from './instantiate.ts';
import { WASM_BASE64 } from './sp-kernels.wasm.ts';

/** The kernels' exports (sp-kernels.as.ts), for the two-thread wrapper too. */
export interface SpExports {
  diffuseBand(assoc: number, aStride: number, tok: number, out: number, oStride: number, c0: number, c1: number, W: number, cell: number, cy: number, h: number): void;
  poolMassBand(assoc: number, aStride: number, sums: number, W: number, cell: number, cy: number, h: number): void;
  poolBand(assoc: number, aStride: number, x: number, xStride: number, sums: number, j0: number, j1: number, W: number, cell: number, cy: number, h: number): void;
  sizesBand(assoc: number, plane: number, counts: number, W: number, cell: number): void;
}

export interface SimdKernels {
  /** SP-Diffusion, bit for bit the scalar float32 definition. Needs cell % 4 == 0. */
  diffuse(tokens: Float32Array, C: number, assoc: Float32Array, g: SpGrid): Float32Array;
  /**
   * SP-Pooling's sums before scaling, float64 (C+1) x h x w: row 0 the mass (sum of A_k(p) over the
   * pixels sent to each cell), rows 1..C the channels (sum of A_k(p) x(p)). Needs cell % 4 == 0.
   */
  pool(x: Float32Array, C: number, assoc: Float32Array, g: SpGrid): Float64Array;
  /**
   * Superpixel size counts (int32, h*w x 9: per source cell, row-major, the pixels where neighbour
   * k holds the maximum association). Needs cell % 4 == 0.
   */
  sizes(assoc: Float32Array, g: SpGrid): Int32Array;
}

/**
 * Channels per kernel call: a band's planes of 8 channels (128 KB at W 256, cell 16) stay in the
 * core's cache between the copy into the memory and the kernel (or the kernel and the copy out).
 */
export const CHANNEL_GROUP = 8;

/**
 * Planes in the memory are this many float32 values (one cache line) longer than a band's
 * `cell * W`: at a multiple of 4 KB apart, the 9 association planes and x's all fall in the same L1
 * cache set and evict each other (SP-Diffuse's kernel 13 % slower without it at 256²).
 */
export const PLANE_PAD = 16;

/** A float32 view of `memory` with at least `bytes` bytes (grows it when needed). */
export function reserveFloat32(memory: WebAssembly.Memory, bytes: number): Float32Array {
  ensureBytes(memory, bytes);
  return new Float32Array(memory.buffer);
}

/**
 * Copies band cy (`band` values; `bands` bands from cy on) of each of the `planes` planes of `src`
 * (each `size` long) to `f32` from `at`, `ps` apart.
 */
export function copyBand(f32: Float32Array, at: number, src: Float32Array, planes: number, size: number, cy: number, band: number, ps: number, bands = 1): void {
  for (let k = 0; k < planes; k++) f32.set(src.subarray(k * size + cy * band, k * size + (cy + bands) * band), at + k * ps);
}

/**
 * Where diffuseBandOut finds band cy in the memory: its association planes at byte `assoc`,
 * `aStride` bytes apart; the tokens at byte `tok`; CHANNEL_GROUP planes of scratch (a band's
 * values + PLANE_PAD each) from float32 index `scratchAt`.
 */
export interface DiffuseBandAt { assoc: number; aStride: number; tok: number; scratchAt: number }

/**
 * SP-Diffusion of band cy into `out` (C x H x W), CHANNEL_GROUP channels at a time through the
 * scratch planes: each group is copied out while it is still in the core's cache.
 */
export function diffuseBandOut(out: Float32Array, C: number, g: SpGrid, cy: number, wasm: SpExports, f32: Float32Array, at: DiffuseBandAt): void {
  const { W, h, cell } = g, band = cell * W, ps = band + PLANE_PAD, hw = g.H * W;
  for (let c0 = 0; c0 < C; c0 += CHANNEL_GROUP) {
    const c1 = Math.min(C, c0 + CHANNEL_GROUP);
    wasm.diffuseBand(at.assoc, at.aStride, at.tok, 4 * at.scratchAt, 4 * ps, c0, c1, W, cell, cy, h);
    for (let c = c0, from = at.scratchAt; c < c1; c++, from += ps) out.set(f32.subarray(from, from + band), c * hw + cy * band);
  }
}

/**
 * Where poolBandFrom finds band cy in the memory: its association planes at byte `assoc`, `aStride`
 * bytes apart; CHANNEL_GROUP planes of scratch (a band's values + PLANE_PAD each) from float32 index
 * `scratchAt`; the float64 sums (C+1) x h x w at byte `sums`.
 */
export interface PoolBandAt { assoc: number; aStride: number; scratchAt: number; sums: number }

/**
 * SP-Pooling of band cy of `x` (C x H x W) into the sums: the mass, then CHANNEL_GROUP channels at
 * a time copied into the scratch planes, where the kernel finds them still in the core's cache.
 */
export function poolBandFrom(x: Float32Array, C: number, g: SpGrid, cy: number, wasm: SpExports, f32: Float32Array, at: PoolBandAt): void {
  const { W, h, cell } = g, band = cell * W, ps = band + PLANE_PAD;
  wasm.poolMassBand(at.assoc, at.aStride, at.sums, W, cell, cy, h);
  for (let j0 = 1; j0 <= C; j0 += CHANNEL_GROUP) {
    const j1 = Math.min(C + 1, j0 + CHANNEL_GROUP);
    copyBand(f32, at.scratchAt, x.subarray((j0 - 1) * g.H * W), j1 - j0, g.H * W, cy, band, ps);
    wasm.poolBand(at.assoc, at.aStride, 4 * at.scratchAt, 4 * ps, at.sums, j0, j1, W, cell, cy, h);
  }
}

let loaded: SimdKernels | null | undefined;
let preferred: SimdKernels | undefined;

/** The kernels (those set by preferKernels, else one thread's), or null where WebAssembly SIMD is missing. */
export function simdKernels(): SimdKernels | null {
  if (preferred) return preferred;
  if (loaded === undefined) loaded = load();
  return loaded;
}

/** The one-thread kernels, whatever preferKernels set. */
export function oneThreadKernels(): SimdKernels | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

/** Makes `kernels` what simdKernels() returns (the CLI's two-thread kernels); undefined to undo it. */
export function preferKernels(kernels: SimdKernels | undefined): void {
  preferred = kernels;
}

function load(): SimdKernels | null {
  const module = instantiateModule<SpExports>(WASM_BASE64);
  if (!module) return null;
  const { memory, wasm } = module;

  /** Copies band cy of the 9 association planes to float32 index 0 of `f32`, `ps` apart. */
  const copyAssoc = (f32: Float32Array, assoc: Float32Array, g: SpGrid, cy: number, ps = g.cell * g.W) =>
    copyBand(f32, 0, assoc, 9, g.H * g.W, cy, g.cell * g.W, ps);
  return {
    diffuse(tokens, C, assoc, g) {
      const ps = g.cell * g.W + PLANE_PAD;
      const tokAt = 9 * ps, outAt = (tokAt + tokens.length + 3) & ~3; // float32 indices, 16-byte aligned
      const f32 = reserveFloat32(memory, 4 * (outAt + CHANNEL_GROUP * ps));
      f32.set(tokens, tokAt);
      const out = arrayPool.take(C * g.H * g.W); // every element is written below
      for (let cy = 0; cy < g.h; cy++) {
        copyAssoc(f32, assoc, g, cy, ps);
        diffuseBandOut(out, C, g, cy, wasm, f32, { assoc: 0, aStride: 4 * ps, tok: 4 * tokAt, scratchAt: outAt });
      }
      return out;
    },

    pool(x, C, assoc, g) {
      const { H, W, h, w, cell } = g;
      const ps = cell * W + PLANE_PAD;
      const xAt = 9 * ps, sumsAt = 4 * (xAt + CHANNEL_GROUP * ps); // float32 index; bytes (a multiple of 16)
      const f32 = reserveFloat32(memory, sumsAt + 8 * (C + 1) * h * w);
      const sums = new Float64Array(memory.buffer, sumsAt, (C + 1) * h * w);
      sums.fill(0);
      for (let cy = 0; cy < h; cy++) {
        copyAssoc(f32, assoc, g, cy, ps);
        poolBandFrom(x, C, g, cy, wasm, f32, { assoc: 0, aStride: 4 * ps, scratchAt: xAt, sums: sumsAt });
      }
      return sums.slice();
    },

    sizes(assoc, g) {
      const ps = g.cell * g.W + PLANE_PAD, countsAt = 4 * 9 * ps; // bytes, after a band's association planes
      const counts = new Int32Array(g.h * g.w * 9);
      for (let cy = 0; cy < g.h; cy++) {
        copyAssoc(reserveFloat32(memory, countsAt + 4 * 9 * g.w), assoc, g, cy, ps);
        wasm.sizesBand(0, 4 * ps, countsAt, g.W, g.cell);
        counts.set(new Int32Array(memory.buffer, countsAt, 9 * g.w), cy * 9 * g.w);
      }
      return counts;
    },
  };
}
