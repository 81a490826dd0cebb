/**
 * Image decoding and encoding for the CLI (Node), through sharp (libvips, prebuilt from npm), and
 * for plain 8-bit PNGs through png-decode.ts (the same pixels, faster).
 * In: PNG, JPEG, WebP (first frame of an animation), any bit depth, gray, palette, CMYK, alpha,
 * with EXIF orientation applied. Out: 8-bit RGBA pixels; PNG out.
 * Alpha rule: transparent pixels are composited over white, since a colourised photo has no use
 * for a transparent background and Lab has no alpha.
 */
import { createHash } from 'node:crypto';
import { totalmem } from 'node:os';
import sharp, { type Metadata } from 'sharp';
import { memoryBudgetProblem } from '../runtime/image-budget.ts';
import { MAX_IMAGE_FILE_BYTES, readRegularFile } from '../runtime/read-regular-file.ts';
import type { ImageValue } from '../runtime/values/types.ts';
import { decodeSimplePng, simplePng } from './png-decode.ts';

/** Largest accepted input, in pixels (width × height), checked before any pixel is decoded. */
export const DEFAULT_PIXEL_LIMIT = 50_000_000;

/** Memory a run may use by default: half the machine's memory (not the free memory, which swings with caches), at most 8 GB. */
export function defaultMemoryBudget(): number {
  return Math.min(8e9, totalmem() / 2);
}

export class ImageInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageInputError';
  }
}

export interface DecodeOptions {
  pixelLimit?: number;
  /** Bytes a run may use (see runtime/image-budget.ts); larger photos are refused before decoding. */
  memoryBudget?: number;
  /** Name used in error messages (the file name). */
  name?: string;
}

export async function decodeImage(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<ImageValue> {
  return decodePlainPng(bytes, opts) ?? decodeWithSharp(bytes, opts.name ?? 'image', opts);
}

/**
 * The image if it is a plain PNG (png-decode.ts), decoded synchronously (`bytes` are not kept), or
 * undefined for anything that needs sharp. Throws for a PNG over the limits.
 */
export function decodePlainPng(bytes: Uint8Array, opts: DecodeOptions = {}): ImageValue | undefined {
  const name = opts.name ?? 'image';
  const png = simplePng(bytes);
  if (!png) return undefined;
  checkSize(name, png.width, png.height, opts);
  const rgba = decodeSimplePng(png);
  if (!rgba) return undefined;
  const hadAlpha = png.channels === 2 || png.channels === 4; // gray+alpha, RGBA
  const facts = { hadAlpha, format: 'png', bitDepth: 'uchar' };
  // A gray PNG has no colour to look for (the scan takes a pass over every pixel of a gray photo).
  return imageValue(name, png.width, png.height, rgba, png.channels < 3 ? { ...facts, hadColor: false } : facts);
}

/** Any format sharp reads; exported for the test that holds the PNG fast path to the same pixels. */
export async function decodeWithSharp(bytes: Uint8Array, name: string, opts: DecodeOptions = {}): Promise<ImageValue> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    const header = pngHeaderSize(bytes);
    if (header && (!header.width || !header.height)) throw new ImageInputError(`${name}: the image has no pixels (${header.width}x${header.height})`);
    throw new ImageInputError(`${name}: not a readable image (${shortSharpMessage(e)})`);
  }
  checkSize(name, meta.width, meta.height, opts);
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: opts.pixelLimit ?? DEFAULT_PIXEL_LIMIT, failOn: 'error', pages: 1 })
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .ensureAlpha(1)
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`expected 4 channels after conversion, got ${info.channels}`);
    const rgba = new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength);
    return imageValue(name, info.width, info.height, rgba, { hadAlpha: Boolean(meta.hasAlpha), format: meta.format, bitDepth: meta.depth });
  } catch (e) {
    throw new ImageInputError(`${name}: could not decode (${shortSharpMessage(e)})`);
  }
}

/** Refuses an image with no pixels, over the pixel limit or over the memory budget, before decoding it. */
function checkSize(name: string, width: number | undefined, height: number | undefined, opts: DecodeOptions): void {
  if (!width || !height) throw new ImageInputError(`${name}: the image has no pixels (${width ?? 0}x${height ?? 0})`);
  const limit = opts.pixelLimit ?? DEFAULT_PIXEL_LIMIT;
  const pixels = width * height;
  if (pixels > limit) {
    throw new ImageInputError(
      `${name}: ${width}x${height} is ${(pixels / 1e6).toFixed(1)} megapixels, above the limit of ${(limit / 1e6).toFixed(1)}; downscale it first or raise --max-pixels`);
  }
  const tooBig = memoryBudgetProblem(name, width, height, opts.memoryBudget ?? defaultMemoryBudget());
  if (tooBig) throw new ImageInputError(tooBig);
}

function imageValue(name: string, width: number, height: number, rgba: Uint8ClampedArray, facts: Record<string, unknown>): ImageValue {
  return { width, height, data: rgba, meta: { source: name, hadColor: hasChroma(rgba), ...facts } };
}

export async function decodeImageFile(path: string, opts: DecodeOptions = {}): Promise<ImageValue> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path, { what: 'image file', maxBytes: MAX_IMAGE_FILE_BYTES });
  } catch (e) {
    throw new ImageInputError((e as Error).message);
  }
  return decodeImage(bytes, { ...opts, name: opts.name ?? path });
}

/** Encodes 8-bit RGBA pixels as PNG (RGB when every pixel is opaque). */
export async function encodePng(image: ImageValue): Promise<Uint8Array> {
  const raw = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  let pipeline = sharp(raw, { raw: { width: image.width, height: image.height, channels: 4 } });
  if (isOpaque(image.data)) pipeline = pipeline.removeAlpha();
  return new Uint8Array(await pipeline.png({ compressionLevel: 6 }).toBuffer());
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** True when any pixel's R, G and B differ by more than 2 levels (JPEG noise on gray photos stays below). */
function hasChroma(rgba: Uint8ClampedArray): boolean {
  for (let i = 0; i < rgba.length; i += 4) {
    const r = rgba[i], g = rgba[i + 1], b = rgba[i + 2];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 2) return true;
  }
  return false;
}

function isOpaque(rgba: Uint8ClampedArray): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}

function shortSharpMessage(e: unknown): string {
  const text = String((e as Error).message ?? e).split('\n')[0].replace(/^Input (buffer|file) /, '').replace(/:\s*$/, '');
  return text || 'unknown decoder error';
}

/** Width and height from a PNG's IHDR, or undefined if `bytes` is not a PNG (sharp refuses 0-sized ones unexplained). */
function pngHeaderSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((v, i) => bytes[i] !== v)) return undefined;
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
