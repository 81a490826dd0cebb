import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseManifest, sha256Bytes, stageEntryOf, verifySha256 } from './manifest.ts';

const spec = (name: string, shape: (number | string)[]) => ({ name, dtype: 'float32', shape });
const entry = (inputs: unknown[], outputs: unknown[]) => ({
  file: 'spixelnet.onnx', sha256: 'a'.repeat(64), bytes: 10, opset: 17, inputs, outputs,
});
const good = () => ({
  name: 'x', description: '', formatVersion: 1, cell: 16, workingSize: 256, source: 's', license: 'MIT',
  stages: { spixelnet: entry([spec('gray', ['N', 1, 'H', 'W'])], [spec('assoc', ['N', 9, 'H', 'W'])]) },
});

describe('parseManifest', () => {
  it('accepts a good manifest', () => {
    expect(parseManifest(good(), 'm.json').stages.spixelnet.file).toBe('spixelnet.onnx');
  });

  it('names the bad fields', () => {
    const m = good() as Record<string, any>;
    m.formatVersion = 2;
    m.stages.spixelnet.sha256 = 'xyz';
    delete m.cell;
    const err = () => parseManifest(m, 'models/x/manifest.json');
    expect(err).toThrow(/^models\/x\/manifest.json: not a valid model-set manifest/);
    expect(err).toThrow(/formatVersion/);
    expect(err).toThrow(/stages\.spixelnet\.sha256: must be 64 lowercase hex digits/);
    expect(err).toThrow(/cell/);
  });

  it('refuses a file name that leaves the set folder', () => {
    const m = good();
    m.stages.spixelnet.file = '../../etc/passwd';
    expect(() => parseManifest(m, 'm')).toThrow(/stages\.spixelnet\.file/);
  });

  it('refuses a working size that is not a multiple of the cell', () => {
    expect(() => parseManifest({ ...good(), workingSize: 250 }, 'm')).toThrow(/workingSize 250 is not a multiple of cell 16/);
  });
});

describe('stageEntryOf', () => {
  it('names a missing stage', () => {
    const m = parseManifest(good(), 'm.json');
    expect(() => stageEntryOf(m, 'refiner', 'm.json')).toThrow('m.json: model set "x" has no "refiner" stage (it has spixelnet)');
  });

  it('refuses manifest tensors that break the stage contract', () => {
    const m = good();
    m.stages.spixelnet = entry([spec('image', ['N', 1, 'H', 'W'])], [spec('assoc', ['N', 9, 'H', 'W'])]);
    expect(() => stageEntryOf(parseManifest(m, 'm'), 'spixelnet', 'm')).toThrow(/inputs do not match the stage contract: missing "gray"; unexpected "image"/);
    m.stages.spixelnet = entry([spec('gray', ['N', 3, 'H', 'W'])], [spec('assoc', ['N', 9, 'H', 'W'])]);
    expect(() => stageEntryOf(parseManifest(m, 'm'), 'spixelnet', 'm')).toThrow(/"gray" is \[N,3,H,W\], expected \[N,1,H,W\]: size 3 at axis 1 where the contract fixes 1/);
  });
});

describe('verifySha256', () => {
  const bytes = new TextEncoder().encode('disco');
  const real = createHash('sha256').update(bytes).digest('hex');

  it('hashes like node:crypto and accepts a match', async () => {
    expect(await sha256Bytes(bytes)).toBe(real);
    await expect(verifySha256(bytes, real, 'f.onnx')).resolves.toBeUndefined();
  });

  it('refuses a mismatch, naming the file and both hashes', async () => {
    const wrong = '0'.repeat(64);
    await expect(verifySha256(bytes, wrong, 'models/x/f.onnx')).rejects.toThrow(
      `models/x/f.onnx: SHA-256 mismatch, the manifest says ${wrong} but the file hashes to ${real}`);
  });
});
