/**
 * Faster versions of the CPU backend's colour and resize loops that a host can put in place (the
 * CLI: the native kernels, native/native-kernels.ts). Each gives the bits of the loop it replaces.
 * Where the host set none, the WebAssembly kernels run (simd/lab-wasm.ts), else the TypeScript loops.
 */
import type { Taps } from '../common/resize-plan.ts';
import type { LabToRgbaKernel } from './simd/lab-wasm.ts';

/** The loop of rgbToLabImage (lab.ts): n RGBA pixels -> L, a, b planes into out (3n floats). */
export type RgbaToLab = (rgba: Uint8Array | Uint8ClampedArray, n: number, out: Float32Array) => void;

/**
 * resizeRowsInto's loop (resize.ts): output rows y0..y1 (ow wide) of each of `planes` planes of
 * src (H x W each) resized by the taps tx, ty, into dst (plane by plane).
 */
export type ResizePlanes = (src: Float32Array, planes: number, H: number, W: number, tx: Taps, ty: Taps, y0: number, y1: number, ow: number, dst: Float32Array) => void;

export interface HostKernels {
  readonly rgbaToLab?: RgbaToLab;
  readonly labToRgba?: LabToRgbaKernel;
  readonly resizePlanes?: ResizePlanes;
}

let kernels: HostKernels = {};

/** From now on the CPU backend runs these kernels (and the defaults for any left out). */
export function useHostKernels(k: HostKernels): void {
  kernels = k;
}

/** The kernels the host set (none by default). */
export function hostKernels(): HostKernels {
  return kernels;
}
