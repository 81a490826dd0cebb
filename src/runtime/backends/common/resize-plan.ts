/**
 * What the CPU and WGSL resizes share (docs/disco-method.md §2): OpenCV INTER_LINEAR's source taps (half-pixel
 * geometry, edge clamping), the argument checks, and how a photo's content maps to the working square.
 */
import type { Frame } from '../../values/types.ts';
import type { ResizeOptions } from '../ops/color-ops.ts';

export interface Taps { i0: Int32Array; i1: Int32Array; f: Float32Array }

/** Source indices and fractions for each of `outN` outputs from `inN` inputs. */
export function taps(inN: number, outN: number): Taps {
  const scale = inN / outN;
  const i0 = new Int32Array(outN), i1 = new Int32Array(outN), fr = new Float32Array(outN);
  for (let d = 0; d < outN; d++) {
    const src = Math.fround((d + 0.5) * scale - 0.5);
    let s = Math.floor(src);
    let f = Math.fround(src - s);
    if (s < 0) { s = 0; f = 0; }
    if (s >= inN - 1) { s = inN - 1; f = 0; }
    i0[d] = s;
    i1[d] = Math.min(s + 1, inN - 1);
    fr[d] = f;
  }
  return { i0, i1, f: fr };
}

export function checkResizeArgs(shape: readonly number[], size: Frame, opts: ResizeOptions): { from: Frame; out: Frame } {
  if (shape.length !== 4) throw new Error(`resize: expected an NCHW tensor, got shape [${shape.join('x')}]`);
  const from = opts.from ?? { width: shape[3], height: shape[2] };
  const out = opts.padTo ?? size;
  const bad = (fr: Frame) => !(fr.width >= 1 && fr.height >= 1 && Number.isInteger(fr.width) && Number.isInteger(fr.height));
  if (bad(size) || bad(from) || bad(out)) throw new Error(`resize: sizes must be positive whole numbers (size ${size.width}x${size.height}, from ${from.width}x${from.height}, padTo ${out.width}x${out.height})`);
  if (from.width > shape[3] || from.height > shape[2]) throw new Error(`resize: region ${from.width}x${from.height} is larger than the input ${shape[3]}x${shape[2]}`);
  if (out.width < size.width || out.height < size.height) throw new Error(`resize: padTo ${out.width}x${out.height} is smaller than the size ${size.width}x${size.height}`);
  return { from, out };
}

/** The content frame of a keep-aspect fit of `src` into a size x size square. */
export function fitFrame(src: Frame, size: number): Frame {
  const s = Math.min(size / src.width, size / src.height);
  const clamp = (v: number) => Math.max(1, Math.min(size, Math.round(v)));
  return { width: clamp(src.width * s), height: clamp(src.height * s) };
}

export function checkWorkingSize(size: number): void {
  if (!Number.isInteger(size) || size < 16 || size % 16 !== 0) {
    throw new Error(`working size must be a positive multiple of 16 (the superpixel cell), got ${size}`);
  }
}

/** The next multiple of 16 (the superpixel cell) at or above n. */
export const ceil16 = (n: number): number => Math.ceil(n / 16) * 16;

/**
 * How resizeToWorking maps a LAB value's content to the working size: stretched or fitted (keepAspect)
 * into a size x size square, or (fullSize) kept at its own size and edge-padded bottom/right to
 * multiples of 16, as the official script's --no_resize does (a same-size resize is an exact copy).
 */
export function workingPlan(content: Frame, size: number, keepAspect: boolean, fullSize = false): { size: Frame; opts: ResizeOptions; content: Frame } {
  if (fullSize) return { size: content, opts: { from: content, padTo: { width: ceil16(content.width), height: ceil16(content.height) } }, content };
  checkWorkingSize(size);
  const square = { width: size, height: size };
  if (!keepAspect) return { size: square, opts: { from: content }, content: square };
  const fit = fitFrame(content, size);
  return { size: fit, opts: { from: content, padTo: square }, content: fit };
}

/** Checks recombine's inputs; returns the output size (the photo's content frame). */
export function checkRecombine(photoShape: readonly number[], photoContent: Frame, abShape: readonly number[], content: Frame): Frame {
  if (photoShape.length !== 4 || photoShape[0] !== 1 || photoShape[1] !== 3) throw new Error(`recombine: photo Lab must be [1,3,H,W], got [${photoShape.join('x')}]`);
  if (abShape.length !== 4 || abShape[0] !== 1 || abShape[1] !== 2) throw new Error(`recombine: ab must be [1,2,h,w] (normalised ab at working size), got [${abShape.join('x')}]`);
  if (content.width > abShape[3] || content.height > abShape[2]) throw new Error(`recombine: content frame ${content.width}x${content.height} is larger than the ab map ${abShape[3]}x${abShape[2]}`);
  return photoContent;
}
