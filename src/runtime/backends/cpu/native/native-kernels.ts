/**
 * The native SP-Diffuse and SP-Pool kernels (sp-kernels.c, a Node-API addon) as SimdKernels, for
 * Node only (the CLI, batch workers, benchmarks): where `npm run setup` could build them, they
 * replace the WebAssembly kernels there. They read and write the arrays in place (no copies
 * through a WebAssembly memory) with the CPU's widest vectors, on several threads.
 * At disco-lite's 256² with 64 channels (2026-12-05, 2-core AMD EPYC with AVX-512, medians of 40
 * calls with the machine in use): SP-Diffuse 1.4 ms on one thread, 1.3 on two (writing the 16.8 MB
 * output is most of it), against 4-5 ms for the WebAssembly kernel on one and 3.5-4 on two;
 * SP-Pool 2.6-2.8 ms on one, 1.4-1.5 on two, against 5-6 and 3.8-4.6.
 * Their helper threads are kept between calls (sp-kernels.c): started per call, they made about
 * one SP-Diffuse in four wait 4-9 ms in the CLI's runs for a thread that had not yet run.
 * Diffusion gives the same bits as the definition; pooling's error bound is in sp-pool.ts.
 * The superpixel sizes stay on the WebAssembly kernel (a fraction of a millisecond).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arrayPool } from '../../../values/array-pool.ts';
import { oneThreadKernels, type SimdKernels } from '../simd/simd.ts';
import { nativeAddonPath } from './native-build.ts';

interface Addon {
  diffuse(tokens: Float32Array, C: number, assoc: Float32Array, H: number, W: number, cell: number, out: Float32Array, threads: number): void;
  pool(x: Float32Array, C: number, assoc: Float32Array, H: number, W: number, cell: number, sums: Float64Array, threads: number): void;
}

let addon: Addon | null | undefined;

/**
 * The addon built from the current source, or null: not built, built from another source, or
 * refused by this Node (a warning says why, once; the WebAssembly kernels run instead).
 */
export function loadNativeAddon(): Addon | null {
  if (addon === undefined) {
    const path = nativeAddonPath();
    addon = null;
    if (existsSync(path)) {
      try {
        addon = createRequire(import.meta.url)(path) as Addon;
      } catch (e) {
        process.emitWarning(`the native superpixel kernels (${path}) did not load, so the slower WebAssembly ones run: ${(e as Error).message}`);
      }
    }
  }
  return addon;
}

/** The native kernels on up to `threads` threads, or null where the addon is not built. */
export function nativeKernels(threads: number): SimdKernels | null {
  const native = loadNativeAddon(), wasm = oneThreadKernels();
  if (!native || !wasm) return null;
  return {
    diffuse(tokens, C, assoc, g) {
      const out = arrayPool.take(C * g.H * g.W); // every element is written
      native.diffuse(tokens, C, assoc, g.H, g.W, g.cell, out, threads);
      return out;
    },
    pool(x, C, assoc, g) {
      const sums = new Float64Array((C + 1) * g.h * g.w);
      native.pool(x, C, assoc, g.H, g.W, g.cell, sums, threads);
      return sums;
    },
    sizesBand: (assoc, g, cy) => wasm.sizesBand(assoc, g, cy),
  };
}
