/**
 * The native kernels (addon.c, a Node-API addon), for Node only (the CLI, batch workers,
 * benchmarks): where `npm run setup` could build them, they replace the WebAssembly kernels there
 * for SP-Diffuse, SP-Pool, the superpixel sizes, RGB -> Lab and Lab -> RGBA (and decode plain PNGs,
 * cli/png-decode.ts). They read and write the arrays in place (no copies through a WebAssembly
 * memory) with the CPU's widest vectors, on several threads.
 * At disco-lite's 256² with 64 channels (2026-12-05, 2-core AMD EPYC with AVX-512, medians of 40
 * calls with the machine in use): SP-Diffuse 1.4 ms on one thread, 1.3 on two (writing the 16.8 MB
 * output is most of it), against 4-5 ms for the WebAssembly kernel on one and 3.5-4 on two;
 * SP-Pool 2.6-2.8 ms on one, 1.4-1.5 on two, against 5-6 and 3.8-4.6.
 * Their helper threads are kept between calls (threads.c): started per call, they made about
 * one SP-Diffuse in four wait 4-9 ms in the CLI's runs for a thread that had not yet run.
 * Diffusion, the sizes and the colour conversions give the same bits as their definitions;
 * pooling's error bound is in sp-pool.ts.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arrayPool } from '../../../values/array-pool.ts';
import { CODE_U8, F_16_116, F_6_29, F_7787, F_9033, invGammaSplineTab, rgb2LabLut, XYZ2RGB_F } from '../../common/opencv-lab-tables.ts';
import type { RgbaToLab, ResizePlanes } from '../host-kernels.ts';
import { wasmLabKernels, type LabToRgbaKernel } from '../simd/lab-wasm.ts';
import type { SimdKernels } from '../simd/simd.ts';
import { nativeAddonPath } from './native-build.ts';

interface Addon {
  diffuse(tokens: Float32Array, C: number, assoc: Float32Array, H: number, W: number, cell: number, out: Float32Array, threads: number): void;
  pool(x: Float32Array, C: number, assoc: Float32Array, H: number, W: number, cell: number, sums: Float64Array, threads: number): void;
  sizes(assoc: Float32Array, H: number, W: number, cell: number, counts: Int32Array, threads: number): void;
  rgbaToLab(rgba: Uint8Array | Uint8ClampedArray, n: number, lut: Int16Array, codes: Int32Array, out: Float32Array, threads: number): void;
  labToRgba(L: Float32Array, a: Float32Array, b: Float32Array, width: number, simdCols: number, abScale: number, consts: Float32Array, tab: Float32Array, out: Uint8ClampedArray, threads: number): void;
  /** A zeroed Float32Array starting on a 64-byte boundary, on huge pages where the kernel allows (addon.c). */
  alignedFloat32Array(length: number): Float32Array;
  /** A plain PNG's pixels as RGBA into `out`; false when damaged (png-decode.c). */
  decodePng(idat: Uint8Array, width: number, height: number, channels: number, out: Uint8ClampedArray): boolean;
  resizePlanes(
    src: Float32Array, planes: number, H: number, W: number, xi0: Int32Array, xi1: Int32Array, xf: Float32Array,
    yi0: Int32Array, yi1: Int32Array, yf: Float32Array, y0: number, y1: number, ow: number, dst: Float32Array, threads: number,
  ): void;
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
        process.emitWarning(`the native kernels (${path}) did not load, so the slower WebAssembly ones run: ${(e as Error).message}`);
      }
    }
  }
  return addon;
}

/**
 * The native superpixel kernels on up to `threads` threads, or null where the addon is not built.
 * From the first call on, the process's array pool makes its arrays with the addon: 64-byte
 * aligned (SP-Diffuse writes its output 0.25 ms faster at 256² into one) and on huge pages (a
 * fresh 16.8 MB output costs 8 ms of first touches instead of about 50; bench/README.md).
 */
export function nativeKernels(threads: number): SimdKernels | null {
  const native = loadNativeAddon();
  if (!native) return null;
  arrayPool.allocateWith(native.alignedFloat32Array);
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
    sizes(assoc, g) {
      const counts = new Int32Array(g.h * g.w * 9);
      native.sizes(assoc, g.H, g.W, g.cell, counts, threads);
      return counts;
    },
  };
}

/** The native RGB -> Lab on up to `threads` threads, or null where the addon is not built. */
export function nativeRgbaToLab(threads: number): RgbaToLab | null {
  const native = loadNativeAddon();
  if (!native) return null;
  let lut: Int16Array | undefined;
  const paddedLut = () => {
    // The WebAssembly module builds the same table in a fraction of the TypeScript's time (lab.test.ts
    // checks they agree); the kernel's loads read up to 8 entries past its end.
    const table = wasmLabKernels()?.rgb2LabLut() ?? rgb2LabLut();
    const padded = new Int16Array(table.length + 8);
    padded.set(table);
    return padded;
  };
  return (rgba, n, out) => native.rgbaToLab(rgba, n, (lut ??= paddedLut()), CODE_U8, out, threads);
}

const f = Math.fround;

/** The native Lab -> RGBA on up to `threads` threads, or null where the addon is not built. */
export function nativeLabToRgba(threads: number): LabToRgbaKernel | null {
  const native = loadNativeAddon();
  if (!native) return null;
  // lab.as.ts's constants, in its order.
  const consts = Float32Array.from([F_9033, F_7787, F_16_116, F_6_29, f(1 / F_9033), f(1 / 116), f(1 / 500), f(-1 / 200), f(1 / F_7787), ...XYZ2RGB_F]);
  // Planes of other types are rounded to float32 first, as the WebAssembly kernel's copies round them.
  const f32 = (v: ArrayLike<number>) => (v instanceof Float32Array ? v : Float32Array.from(v));
  return (L, a, b, width, simdCols, abScale, out) => {
    const n = L.length;
    native.labToRgba(f32(L), f32(a).subarray(0, n), f32(b).subarray(0, n), width, simdCols, abScale, consts, invGammaSplineTab(), out, threads);
  };
}

/** The native resize of float32 planes on up to `threads` threads, or null where the addon is not built. */
export function nativeResizePlanes(threads: number): ResizePlanes | null {
  const native = loadNativeAddon();
  if (!native) return null;
  return (src, planes, H, W, tx, ty, y0, y1, ow, dst) => native.resizePlanes(src, planes, H, W, tx.i0, tx.i1, tx.f, ty.i0, ty.i1, ty.f, y0, y1, ow, dst, threads);
}
