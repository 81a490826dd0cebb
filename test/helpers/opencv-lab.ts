/**
 * The OpenCV Lab vectors of test/fixtures/opencv-lab (made by make_vectors.py there with Debian's
 * python3-opencv). `labVector('lab2rgb_f32', 'rgb')` returns the typed array and its shape.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const DIR = resolve(import.meta.dirname, '../fixtures/opencv-lab');
type Typed = Float32Array | Uint16Array | Uint8Array;
interface Entry { file: string; dtype: 'float32' | 'uint16' | 'uint8'; shape: number[] }
let manifest: { cases: Record<string, { files: Record<string, Entry> }> } | undefined;

export function labVector(name: string, key: string): { data: Typed; shape: number[] } {
  manifest ??= JSON.parse(readFileSync(resolve(DIR, 'manifest.json'), 'utf8'));
  const e = manifest!.cases[name]?.files[key];
  if (!e) throw new Error(`no OpenCV Lab vector ${name}.${key} in ${DIR}/manifest.json`);
  const buf = readFileSync(resolve(DIR, e.file));
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const data = e.dtype === 'float32' ? new Float32Array(ab) : e.dtype === 'uint16' ? new Uint16Array(ab) : new Uint8Array(ab);
  return { data, shape: e.shape };
}

/** Lab codes (uint16 L, a, b as OpenCV interpolates them) -> float Lab, interleaved. */
export function labFromCodes(codes: Uint16Array): Float32Array {
  const out = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i += 3) {
    out[i] = Math.fround(codes[i] * (100 / 16384));
    out[i + 1] = codes[i + 1] / 64 - 128;
    out[i + 2] = codes[i + 2] / 64 - 128;
  }
  return out;
}
