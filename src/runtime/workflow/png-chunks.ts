/**
 * PNG text chunks in plain TypeScript (browser and Node: Uint8Array only, no zlib, no Buffer).
 * We write iTXt (UTF-8, uncompressed) so non-ASCII text survives; we read tEXt (Latin-1) and
 * uncompressed iTXt. Compressed iTXt and zTXt would need inflate: they are skipped and reported.
 *
 * Workflows are embedded as ComfyUI does: text chunk `workflow` holds the UI JSON, `prompt` the
 * execution JSON. Loading prefers `workflow` and falls back to rebuilding one from `prompt`.
 */
import { WorkflowFormatError } from './errors.ts';
import type { ExecGraph } from './exec-format.ts';
import { workflowFromExecGraph } from './from-exec.ts';
import { parseJsonText } from './json-text.ts';
import { checkSize, loadWorkflow, loadWorkflowObject, type LoadOptions, type LoadResult } from './load.ts';
import type { Workflow } from './schema.ts';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (ISO 3309, as PNG uses) of `bytes`. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export interface PngChunk {
  readonly type: string;
  readonly data: Uint8Array;
}

const readU32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const ascii = (b: Uint8Array): string => String.fromCharCode(...b);

/**
 * Splits a PNG into chunks, checking the signature, lengths, CRCs and the final IEND. `crc` computes
 * the checksums (Node's native zlib.crc32 is faster where it exists; this file runs in browsers too).
 */
export function readPngChunks(png: Uint8Array, crc: (bytes: Uint8Array) => number = crc32): PngChunk[] {
  if (png.length < 8 || SIGNATURE.some((v, i) => png[i] !== v)) throw new WorkflowFormatError('not a PNG file: the PNG signature is missing');
  const chunks: PngChunk[] = [];
  let at = 8;
  while (at < png.length) {
    if (at + 12 > png.length) throw new WorkflowFormatError(`PNG is truncated: a chunk header at byte ${at} is cut off`);
    const length = readU32(png, at);
    const type = ascii(png.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw new WorkflowFormatError(`PNG is corrupt: invalid chunk type at byte ${at + 4}`);
    const end = at + 12 + length;
    if (end > png.length) throw new WorkflowFormatError(`PNG is truncated: chunk ${type} at byte ${at} needs ${length} bytes, ${png.length - at - 12} remain`);
    const expected = readU32(png, end - 4);
    if (crc(png.subarray(at + 4, end - 4)) !== expected) throw new WorkflowFormatError(`PNG is corrupt: CRC mismatch in chunk ${type} at byte ${at}`);
    chunks.push({ type, data: png.subarray(at + 8, end - 4) });
    at = end;
    if (type === 'IEND') return chunks;
  }
  throw new WorkflowFormatError('PNG is truncated: no IEND chunk');
}

export function writePngChunks(chunks: readonly PngChunk[]): Uint8Array {
  const total = 8 + chunks.reduce((a, c) => a + 12 + c.data.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  let at = 8;
  for (const c of chunks) {
    view.setUint32(at, c.data.length);
    for (let i = 0; i < 4; i++) out[at + 4 + i] = c.type.charCodeAt(i);
    out.set(c.data, at + 8);
    view.setUint32(at + 8 + c.data.length, crc32(out.subarray(at + 4, at + 8 + c.data.length)));
    at += 12 + c.data.length;
  }
  return out;
}

export interface PngTextScan {
  readonly texts: Record<string, string>;
  /** Text chunks that were not read, e.g. `zTXt "parameters" (compressed, skipped)`. */
  readonly skipped: string[];
}

const latin1 = (b: Uint8Array): string => {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
};

/** The keyword of a tEXt/iTXt/zTXt chunk (Latin-1 up to the first zero byte), or undefined if malformed. */
function keywordOf(data: Uint8Array): { keyword: string; rest: number } | undefined {
  const nul = data.indexOf(0);
  if (nul < 1 || nul > 79) return undefined;
  return { keyword: latin1(data.subarray(0, nul)), rest: nul + 1 };
}

export function scanPngTextChunks(png: Uint8Array): PngTextScan {
  const texts: Record<string, string> = {};
  const skipped: string[] = [];
  for (const { type, data } of readPngChunks(png)) {
    if (type !== 'tEXt' && type !== 'iTXt' && type !== 'zTXt') continue;
    const k = keywordOf(data);
    if (!k) {
      skipped.push(`${type} (malformed keyword, skipped)`);
      continue;
    }
    if (type === 'tEXt') texts[k.keyword] = latin1(data.subarray(k.rest));
    else if (type === 'zTXt') skipped.push(`zTXt "${k.keyword}" (compressed, skipped)`);
    else {
      // iTXt: compression flag, method, language tag \0, translated keyword \0, UTF-8 text.
      const compressed = data[k.rest] === 1;
      const langEnd = data.indexOf(0, k.rest + 2);
      const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
      if (transEnd < 0) skipped.push(`iTXt "${k.keyword}" (malformed, skipped)`);
      else if (compressed) skipped.push(`iTXt "${k.keyword}" (compressed, skipped)`);
      else {
        try {
          texts[k.keyword] = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(transEnd + 1));
        } catch {
          skipped.push(`iTXt "${k.keyword}" (invalid UTF-8, skipped)`);
        }
      }
    }
  }
  return { texts, skipped };
}

/** Text chunks by keyword (a later chunk of the same keyword wins). */
export function readPngTextChunks(png: Uint8Array): Record<string, string> {
  return scanPngTextChunks(png).texts;
}

function iTXtChunk(keyword: string, text: string): PngChunk {
  if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(keyword) || /^ | $| {2}/.test(keyword)) {
    throw new Error(`invalid PNG text keyword ${JSON.stringify(keyword)}: 1-79 Latin-1 characters, no leading, trailing or double spaces`);
  }
  const body = new TextEncoder().encode(text);
  const data = new Uint8Array(keyword.length + 5 + body.length);
  for (let i = 0; i < keyword.length; i++) data[i] = keyword.charCodeAt(i);
  // After the keyword's \0: compression flag 0, method 0, empty language tag \0, empty translated keyword \0.
  data.set(body, keyword.length + 5);
  return { type: 'iTXt', data };
}

/**
 * Returns a new PNG with one iTXt chunk per entry of `texts`, inserted before the first IDAT. Existing
 * text chunks (tEXt/iTXt/zTXt) with the same keywords are removed. Undefined entries are ignored.
 */
export function writePngTextChunks(png: Uint8Array, texts: Readonly<Record<string, string | undefined>>): Uint8Array {
  const entries = Object.entries(texts).filter((e): e is [string, string] => e[1] !== undefined);
  const added = entries.map(([k, v]) => iTXtChunk(k, v));
  const keys = new Set(entries.map(([k]) => k));
  const kept = readPngChunks(png).filter((c) => {
    if (c.type !== 'tEXt' && c.type !== 'iTXt' && c.type !== 'zTXt') return true;
    const k = keywordOf(c.data);
    return !k || !keys.has(k.keyword);
  });
  const idat = kept.findIndex((c) => c.type === 'IDAT');
  if (idat < 0) throw new WorkflowFormatError('PNG is corrupt: no IDAT chunk');
  return writePngChunks([...kept.slice(0, idat), ...added, ...kept.slice(idat)]);
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((v, i) => bytes[i] === v);
}

export function loadWorkflowFromPng(png: Uint8Array, options: LoadOptions): LoadResult {
  const { texts, skipped } = scanPngTextChunks(png);
  if (texts.workflow !== undefined) return loadWorkflow(texts.workflow, options);
  if (texts.prompt !== undefined) {
    checkSize(new TextEncoder().encode(texts.prompt).length, options.maxBytes);
    const raw = parseJsonText(texts.prompt, 'the PNG\'s "prompt" text is not JSON');
    const { workflow, notes } = loadWorkflowObject(workflowFromExecGraph(raw, options.registry), options);
    return { workflow, notes: ['rebuilt from the PNG\'s "prompt" (no "workflow" chunk): layout is generated', ...notes] };
  }
  const found = [...Object.keys(texts).map((k) => `"${k}"`), ...skipped];
  throw new WorkflowFormatError(
    `the PNG holds no workflow: no "workflow" or "prompt" text chunk (text chunks found: ${found.length ? found.join(', ') : 'none'})`,
  );
}

/**
 * A copy of `png` carrying `workflow` (compact JSON) and, if given, `prompt`. Each text is held to the
 * limit loadWorkflowFromPng reads (DEFAULT_MAX_WORKFLOW_BYTES), so a PNG we write always opens again.
 */
export function embedWorkflowInPng(png: Uint8Array, workflow: Workflow, prompt?: ExecGraph): Uint8Array {
  const texts = { workflow: JSON.stringify(workflow), prompt: prompt === undefined ? undefined : JSON.stringify(prompt) };
  for (const [key, text] of Object.entries(texts)) {
    if (text === undefined) continue;
    try {
      checkSize(new TextEncoder().encode(text).length);
    } catch (e) {
      throw new WorkflowFormatError(`cannot embed the ${key} in the PNG: ${(e as Error).message}`);
    }
  }
  return writePngTextChunks(png, texts);
}
