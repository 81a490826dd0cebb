/**
 * Reference vectors from the original DISCO code (test/fixtures/disco-vectors; its README says how
 * they were made, its manifest.json what each file holds). `loadVector('spix_pool', 'feat')` returns the typed array and its shape.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VECTORS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/disco-vectors');

interface FileEntry { file: string; dtype: 'float32' | 'int32' | 'uint32'; shape: number[]; meaning?: string }
interface Case { description: string; compare?: string; files: Record<string, FileEntry>; [k: string]: unknown }

let manifest: { cases: Record<string, Case> } | undefined;

export function vectorManifest(): { cases: Record<string, Case> } {
  manifest ??= JSON.parse(readFileSync(resolve(VECTORS_DIR, 'manifest.json'), 'utf8'));
  return manifest!;
}

export function vectorCase(name: string): Case {
  const c = vectorManifest().cases[name];
  if (!c) throw new Error(`no vector case "${name}" in ${VECTORS_DIR}/manifest.json`);
  return c;
}

export function loadVector(caseName: string, key: string): { data: Float32Array | Int32Array | Uint32Array; shape: number[] } {
  const entry = vectorCase(caseName).files[key];
  if (!entry) throw new Error(`vector case "${caseName}" has no file "${key}"`);
  const buf = readFileSync(resolve(VECTORS_DIR, entry.file));
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const data = entry.dtype === 'float32' ? new Float32Array(ab) : entry.dtype === 'int32' ? new Int32Array(ab) : new Uint32Array(ab);
  return { data, shape: entry.shape };
}
