/**
 * A fast path for plain PNGs: 8-bit, not interlaced, gray, gray+alpha, RGB or RGBA, with no colour
 * profile, EXIF or transparency chunk. It decodes on the calling thread with node:zlib, in about a
 * third of sharp's CPU time and without the hand-offs to libvips' threads, which made most of Load
 * Image's time in a run (bench/README.md, "Parameter-free stages, evening pass").
 *
 * It gives the same pixels as image-io's sharp pipeline (alpha composited over white, 8-bit RGBA;
 * test/cli/png-decode.test.ts compares them). Anything else (16-bit, palette, interlaced, iCCP,
 * eXIf, tRNS or an unknown chunk, a bad CRC, damaged data) gets undefined, and the caller hands the
 * file to sharp, which decodes it or says what is wrong.
 */
import { crc32, inflateSync } from 'node:zlib';
import { loadNativeAddon } from '../runtime/backends/cpu/native/native-kernels.ts';
import { LITTLE_ENDIAN } from '../runtime/little-endian.ts';
import { readPngChunks, type PngChunk } from '../runtime/workflow/png-chunks.ts';

export interface SimplePng {
  readonly width: number;
  readonly height: number;
  /** 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA. */
  readonly channels: number;
  /** The IDAT chunks' data, in order. */
  readonly idat: readonly Uint8Array[];
}

/** PNG colour type → channels, for the types the fast path takes (palette, type 3, is left to sharp). */
const CHANNELS: Record<number, number> = { 0: 1, 4: 2, 2: 3, 6: 4 };
/** Ancillary chunks that do not change sharp's pixels (checked in the test); any other goes to sharp. */
const HARMLESS = new Set(['tEXt', 'zTXt', 'iTXt', 'pHYs', 'tIME', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'bKGD']);

/** The header and pixel data of a PNG the fast path can decode, or undefined. Reads no pixel. */
export function simplePng(bytes: Uint8Array): SimplePng | undefined {
  let chunks: PngChunk[];
  try {
    chunks = readPngChunks(bytes, crc32); // signature, lengths, CRCs, IEND
  } catch {
    return undefined;
  }
  const [ihdr, ...rest] = chunks;
  if (ihdr?.type !== 'IHDR' || ihdr.data.length !== 13) return undefined;
  const view = new DataView(ihdr.data.buffer, ihdr.data.byteOffset, 8);
  const width = view.getUint32(0), height = view.getUint32(4);
  const [depth, colourType, compression, filter, interlace] = ihdr.data.subarray(8);
  const channels = CHANNELS[colourType];
  if (!width || !height || depth !== 8 || !channels || compression || filter || interlace) return undefined;
  const idat: Uint8Array[] = [];
  for (const { type, data } of rest) {
    if (type === 'IDAT') idat.push(data);
    else if (type !== 'IEND' && !HARMLESS.has(type)) return undefined;
  }
  return idat.length ? { width, height, channels, idat } : undefined;
}

/**
 * 8-bit RGBA pixels, alpha composited over white, or undefined if the pixel data is damaged: by the
 * native addon where `npm run setup` built it (native/png-decode.c: libdeflate, 60 % of node:zlib's
 * time, and the rows in C), else by node:zlib and the TypeScript below, the same bytes.
 */
export function decodeSimplePng(png: SimplePng): Uint8ClampedArray | undefined {
  const { width, height, channels } = png;
  const rowBytes = width * channels, stride = rowBytes + 1;
  const addon = useAddon ? loadNativeAddon() : null;
  if (addon) {
    const out = new Uint8ClampedArray(4 * width * height);
    return addon.decodePng(joined(png.idat), width, height, channels, out) ? out : undefined;
  }
  let raw: Buffer;
  try {
    // Output in one buffer of the expected size (zlib's default: 16 kB pieces joined at the end).
    const size = stride * height + 1;
    raw = inflateSync(joined(png.idat), { chunkSize: Math.max(64, size), maxOutputLength: size });
  } catch {
    return undefined;
  }
  if (raw.length !== stride * height) return undefined;
  let prev: Uint8Array = new Uint8Array(rowBytes); // the row above the first is zeros
  for (let y = 0; y < height; y++) {
    const row = raw.subarray(y * stride + 1, (y + 1) * stride);
    if (!unfilter(raw[y * stride], row, prev, channels)) return undefined;
    prev = row;
  }
  return toRgba(raw, width, height, channels);
}

let useAddon = true;

/** For tests: decode with the TypeScript below even where the native addon is built (false), or as usual (true). */
export function decodeWithAddon(yes: boolean): void {
  useAddon = yes;
}

/**
 * The IDAT chunks joined (zlib wants them in one piece), in a buffer kept between calls (a fresh one
 * is fresh memory), unless they are larger than KEPT_IDAT_BYTES: a huge photo's should not stay.
 */
let idatScratch = new Uint8Array(0);
const KEPT_IDAT_BYTES = 16 * 1024 * 1024;

function joined(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total > KEPT_IDAT_BYTES) return Buffer.concat(parts);
  if (idatScratch.length < total) idatScratch = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    idatScratch.set(p, at);
    at += p.length;
  }
  return idatScratch.subarray(0, total);
}

/** Undoes a row's filter in place (PNG spec §9); false for an unknown filter type. */
function unfilter(filter: number, row: Uint8Array, prev: Uint8Array, bpp: number): boolean {
  const n = row.length;
  switch (filter) {
    case 0:
      return true;
    case 1:
      for (let i = bpp; i < n; i++) row[i] += row[i - bpp];
      return true;
    case 2:
      for (let i = 0; i < n; i++) row[i] += prev[i];
      return true;
    case 3:
      for (let i = 0; i < bpp; i++) row[i] += prev[i] >> 1;
      for (let i = bpp; i < n; i++) row[i] += (row[i - bpp] + prev[i]) >> 1;
      return true;
    case 4:
      for (let i = 0; i < bpp; i++) row[i] += prev[i]; // Paeth with left = upper-left = 0 picks the one above
      for (let i = bpp; i < n; i++) row[i] += paeth(row[i - bpp], prev[i], prev[i - bpp]);
      return true;
    default:
      return false;
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Unfiltered rows (each after its filter byte) to RGBA; alpha over white as libvips' flatten rounds it (down). */
function toRgba(raw: Uint8Array, width: number, height: number, channels: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  // One 32-bit store per pixel, and a loop per channel count (a test of `channels` per pixel, and four
  // clamped byte stores, took 3 ns a pixel); the bytes' order in a word is the platform's.
  const words = new Uint32Array(out.buffer);
  const [r, g, b, a] = LITTLE_ENDIAN ? [0, 8, 16, 24] : [24, 16, 8, 0];
  const opaque = (0xff << a) >>> 0;
  const over = (v: number, alpha: number) => ((v * alpha + 255 * (255 - alpha)) / 255) | 0;
  for (let y = 0, p = 0; y < height; y++) {
    let i = y * (width * channels + 1) + 1;
    const end = p + width;
    if (channels === 3) {
      for (; p < end; p++, i += 3) words[p] = (opaque | (raw[i] << r) | (raw[i + 1] << g) | (raw[i + 2] << b)) >>> 0;
    } else if (channels === 1) {
      for (; p < end; p++, i++) { const v = raw[i]; words[p] = (opaque | (v << r) | (v << g) | (v << b)) >>> 0; }
    } else if (channels === 4) {
      for (; p < end; p++, i += 4) {
        const al = raw[i + 3];
        words[p] = (opaque | (over(raw[i], al) << r) | (over(raw[i + 1], al) << g) | (over(raw[i + 2], al) << b)) >>> 0;
      }
    } else {
      for (; p < end; p++, i += 2) { const v = over(raw[i], raw[i + 1]); words[p] = (opaque | (v << r) | (v << g) | (v << b)) >>> 0; }
    }
  }
  return out;
}
