import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { WorkflowFormatError } from './errors.ts';
import { DEFAULT_MAX_WORKFLOW_BYTES, serializeWorkflow } from './load.ts';
import {
  crc32, embedWorkflowInPng, isPng, loadWorkflowFromPng, readPngChunks, readPngTextChunks, scanPngTextChunks,
  writePngChunks, writePngTextChunks, type PngChunk,
} from './png-chunks.ts';
import { toExecGraph } from './to-exec.ts';
import { sampleWorkflow, toyRegistry } from './toy-nodes.fixture.ts';

const registry = toyRegistry();
const bytes = (s: string): Uint8Array => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const v of data) {
    a = (a + v) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** A 1x1 8-bit grayscale PNG of value 128: IHDR, one IDAT holding a stored (uncompressed) zlib block, IEND. */
function tinyPng(extra: PngChunk[] = []): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, 1);
  v.setUint32(4, 1);
  ihdr.set([8, 0, 0, 0, 0], 8); // depth 8, grayscale, deflate, adaptive filter, no interlace
  const raw = new Uint8Array([0, 128]); // filter byte "none", then the pixel
  const idat = new Uint8Array([0x78, 0x01, 0x01, raw.length, 0, ~raw.length & 0xff, 0xff, ...raw, 0, 0, 0, 0]);
  new DataView(idat.buffer).setUint32(idat.length - 4, adler32(raw));
  return writePngChunks([{ type: 'IHDR', data: ihdr }, ...extra, { type: 'IDAT', data: idat }, { type: 'IEND', data: new Uint8Array() }]);
}

/** The decoded samples (sharp may expand gray to RGB). */
const pixelOf = async (png: Uint8Array): Promise<number[]> => [...new Set(await sharp(png).raw().toBuffer())];

describe('PNG chunks', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(bytes('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('the hand-made PNG is valid (sharp decodes it)', async () => {
    const png = tinyPng();
    expect(isPng(png)).toBe(true);
    expect(await pixelOf(png)).toEqual([128]);
  });

  it('writes iTXt before IDAT and reads non-ASCII text back; the image still decodes', async () => {
    const texts = { workflow: '{"a":"ü — 日本 🎨"}', prompt: '{"1":{}}' };
    const png = writePngTextChunks(tinyPng(), texts);
    expect(readPngChunks(png).map((c) => c.type)).toEqual(['IHDR', 'iTXt', 'iTXt', 'IDAT', 'IEND']);
    expect(readPngTextChunks(png)).toEqual(texts);
    expect(await pixelOf(png)).toEqual([128]);
    expect((await sharp(png).metadata()).width).toBe(1);
  });

  it('replaces existing text chunks with the same keyword, keeps others', () => {
    const tEXt = (k: string, v: string): PngChunk => ({ type: 'tEXt', data: bytes(`${k}\0${v}`) });
    const start = tinyPng([tEXt('workflow', 'old'), tEXt('Software', 'caf\xe9')]);
    expect(readPngTextChunks(start)).toEqual({ workflow: 'old', Software: 'café' }); // tEXt is Latin-1
    const once = writePngTextChunks(start, { workflow: 'new' });
    const twice = writePngTextChunks(once, { workflow: 'newer', prompt: undefined });
    expect(readPngTextChunks(twice)).toEqual({ Software: 'café', workflow: 'newer' });
    expect(readPngChunks(twice).filter((c) => c.type === 'iTXt' || c.type === 'tEXt')).toHaveLength(2);
  });

  it('works on a PNG written by sharp', async () => {
    const png = new Uint8Array(await sharp({ create: { width: 4, height: 3, channels: 3, background: '#336699' } }).png().toBuffer());
    const out = writePngTextChunks(png, { workflow: 'x' });
    expect(readPngTextChunks(out)).toEqual({ workflow: 'x' });
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([4, 3]);
  });

  it('skips compressed iTXt and zTXt, and says so', () => {
    const zTXt: PngChunk = { type: 'zTXt', data: bytes('parameters\0\0xyz') };
    const iTXt: PngChunk = { type: 'iTXt', data: bytes('workflow\0\x01\0\0\0xyz') };
    const scan = scanPngTextChunks(tinyPng([zTXt, iTXt]));
    expect(scan.texts).toEqual({});
    expect(scan.skipped).toEqual(['zTXt "parameters" (compressed, skipped)', 'iTXt "workflow" (compressed, skipped)']);
  });

  it('refuses bad signatures, truncation and corruption clearly', () => {
    const png = writePngTextChunks(tinyPng(), { workflow: 'hello' });
    const err = (b: Uint8Array) => {
      try {
        readPngChunks(b);
      } catch (e) {
        expect(e).toBeInstanceOf(WorkflowFormatError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(err(bytes('GIF89a....'))).toBe('not a PNG file: the PNG signature is missing');
    expect(err(png.subarray(0, png.length - 12))).toBe('PNG is truncated: no IEND chunk');
    expect(err(png.subarray(0, png.length - 20))).toMatch(/^PNG is truncated: chunk IDAT at byte \d+ needs \d+ bytes, \d+ remain$/);
    expect(err(png.subarray(0, 40))).toBe('PNG is truncated: a chunk header at byte 33 is cut off');
    expect(err(png.subarray(0, 50))).toMatch(/^PNG is truncated: chunk iTXt at byte 33 needs/);
    const flipped = png.slice();
    flipped[33 + 8 + 2]! ^= 0x20; // a byte inside the iTXt data (IHDR chunk ends at 33)
    expect(err(flipped)).toBe('PNG is corrupt: CRC mismatch in chunk iTXt at byte 33');
    expect(() => writePngTextChunks(tinyPng(), { '': 'x' })).toThrow(/invalid PNG text keyword/);
  });
});

describe('workflows in PNGs', () => {
  it('embed -> load gives the same workflow, byte for byte once serialized', () => {
    const wf = sampleWorkflow();
    const { graph } = toExecGraph(wf, registry);
    const png = embedWorkflowInPng(tinyPng(), wf, graph);
    expect(JSON.parse(readPngTextChunks(png).prompt!)).toEqual(graph);
    const { workflow, notes } = loadWorkflowFromPng(png, { registry });
    expect(notes).toEqual([]);
    expect(serializeWorkflow(workflow)).toBe(serializeWorkflow(wf));
  });

  it('applies the size limit to the embedded text', () => {
    const png = embedWorkflowInPng(tinyPng(), sampleWorkflow());
    expect(() => loadWorkflowFromPng(png, { registry, maxBytes: 100 })).toThrow(/^workflow is too large: /);
  });

  it('embeds compact JSON and refuses to write what the reader would refuse (one limit for both)', () => {
    const wf = sampleWorkflow();
    // 3.3 MB compact; pretty-printed (one line per number, 10 levels deep) it would be over 16 MiB.
    (wf.extra as Record<string, unknown>).big = JSON.parse(`${'['.repeat(9)}[${new Array(1_650_000).fill(0).join(',')}]${']'.repeat(9)}`);
    const png = embedWorkflowInPng(tinyPng(), wf);
    expect(readPngTextChunks(png).workflow).toBe(JSON.stringify(wf));
    expect(JSON.stringify(wf, null, 2).length).toBeGreaterThan(DEFAULT_MAX_WORKFLOW_BYTES);
    expect(loadWorkflowFromPng(png, { registry }).workflow.extra).toEqual(wf.extra);
    (wf.extra as Record<string, unknown>).big = 'x'.repeat(DEFAULT_MAX_WORKFLOW_BYTES);
    expect(() => embedWorkflowInPng(tinyPng(), wf)).toThrow(/^cannot embed the workflow in the PNG: workflow is too large: 16\.0 MiB \(\d+ bytes\), the limit is 16\.0 MiB$/);
  });

  it('falls back to "prompt" and rebuilds an equivalent workflow', () => {
    const { graph } = toExecGraph(sampleWorkflow(), registry);
    const png = writePngTextChunks(tinyPng(), { prompt: JSON.stringify(graph) });
    const { workflow, notes } = loadWorkflowFromPng(png, { registry });
    expect(notes[0]).toMatch(/^rebuilt from the PNG's "prompt"/);
    expect(toExecGraph(workflow, registry).graph).toEqual(graph);
  });

  it('reads a ComfyUI API-format prompt (class_type, _meta)', () => {
    const prompt = {
      '5': { class_type: 'toy/source', inputs: { size: 3, label: 'b' }, _meta: { title: 'Src' } },
      '7': { class_type: 'toy/sink', inputs: { image: ['5', 0], points: [] } },
    };
    const png = writePngTextChunks(tinyPng(), { prompt: JSON.stringify(prompt) });
    const { graph } = toExecGraph(loadWorkflowFromPng(png, { registry }).workflow, registry);
    expect(graph).toEqual({
      '5': { type: 'toy/source', inputs: { size: 3, label: 'b' }, title: 'Src' },
      '7': { type: 'toy/sink', inputs: { image: ['5', 0], points: [] }, title: 'Toy Sink' },
    });
  });

  it('prefers "workflow" over "prompt"', () => {
    const wf = sampleWorkflow();
    const png = writePngTextChunks(tinyPng(), { prompt: '{"1": {"type": "toy/source", "inputs": {}}}', workflow: JSON.stringify(wf) });
    expect(loadWorkflowFromPng(png, { registry }).workflow.nodes).toHaveLength(3);
  });

  it('refuses a PNG with neither, listing what it found', () => {
    const png = writePngTextChunks(tinyPng(), { parameters: 'a photo' });
    expect(() => loadWorkflowFromPng(png, { registry })).toThrow(
      'the PNG holds no workflow: no "workflow" or "prompt" text chunk (text chunks found: "parameters")',
    );
    expect(() => loadWorkflowFromPng(tinyPng(), { registry })).toThrow(/text chunks found: none\)$/);
  });

  it('refuses a prompt with unknown node types or broken JSON', () => {
    const unknown = writePngTextChunks(tinyPng(), { prompt: '{"1": {"type": "x/y", "inputs": {}}}' });
    expect(() => loadWorkflowFromPng(unknown, { registry })).toThrow('the prompt uses node types that are not installed (x/y)');
    const broken = writePngTextChunks(tinyPng(), { prompt: '{"1": ' });
    expect(() => loadWorkflowFromPng(broken, { registry })).toThrow(/^the PNG's "prompt" text is not JSON at line 1, column \d+ \(/);
  });
});
