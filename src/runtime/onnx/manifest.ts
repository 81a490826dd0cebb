/**
 * A model set's `manifest.json`: what each stage file is (sha256, size, opset) and the tensors it
 * takes and gives. Parsing is strict so a broken or foreign manifest fails with a message that names
 * the field, before any model file is read.
 */
import { z } from 'zod';
import '../zod-jitless.ts';
import { STAGE_CONTRACT, nameDiff, shapeConflict, showShape, type StageName } from './stage-contract.ts';

const dim = z.union([z.number().int().positive(), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a size or a letter name')]);

const tensorSpec = z.object({
  name: z.string().min(1),
  dtype: z.enum(['float32', 'int32']),
  shape: z.array(dim).min(1),
});

const stageEntry = z.object({
  file: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a plain file name inside the set folder').refine((f) => f !== '.' && f !== '..'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  bytes: z.number().int().positive(),
  opset: z.number().int().min(7).max(30),
  inputs: z.array(tensorSpec).min(1),
  outputs: z.array(tensorSpec).min(1),
});

const manifestSchema = z.object({
  name: z.string().min(1),
  description: z.string(),
  formatVersion: z.literal(1),
  cell: z.number().int().positive(),
  workingSize: z.number().int().positive(),
  source: z.string(),
  license: z.string(),
  stages: z.record(z.string(), stageEntry),
  quality: z.record(z.string(), z.unknown()).optional(),
});

export type TensorSpec = z.infer<typeof tensorSpec>;
export type StageEntry = z.infer<typeof stageEntry>;
export type ModelSetManifest = z.infer<typeof manifestSchema>;

/** Parses and checks a manifest; `where` (e.g. its path or URL) starts every error message. */
export function parseManifest(json: unknown, where: string): ModelSetManifest {
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
    throw new Error(`${where}: not a valid model-set manifest:\n${lines.join('\n')}`);
  }
  const m = r.data;
  if (m.workingSize % m.cell !== 0) throw new Error(`${where}: workingSize ${m.workingSize} is not a multiple of cell ${m.cell}`);
  return m;
}

/** The manifest's entry for a stage, checked against the stage contract; a clear error if absent. */
export function stageEntryOf(m: ModelSetManifest, stage: StageName, where: string): StageEntry {
  const entry = m.stages[stage];
  if (!entry) {
    const has = Object.keys(m.stages);
    throw new Error(`${where}: model set "${m.name}" has no "${stage}" stage (it has ${has.length ? has.join(', ') : 'none'})`);
  }
  const contract = STAGE_CONTRACT[stage];
  for (const side of ['inputs', 'outputs'] as const) {
    const diff = nameDiff(contract[side].map((p) => p.name), entry[side].map((p) => p.name));
    if (diff) throw new Error(`${where}: stage "${stage}" ${side} do not match the stage contract: ${diff}`);
    for (const spec of entry[side]) {
      const want = contract[side].find((p) => p.name === spec.name)!;
      const bad = shapeConflict(want.shape, spec.shape);
      if (bad) throw new Error(`${where}: stage "${stage}" ${side} "${spec.name}" is ${showShape(spec.shape)}, expected ${showShape(want.shape)}: ${bad}`);
      if (spec.dtype !== 'float32') throw new Error(`${where}: stage "${stage}" ${side} "${spec.name}" is ${spec.dtype}, the contract needs float32`);
    }
  }
  return entry;
}

export async function sha256Bytes(bytes: Uint8Array): Promise<string> {
  // WebCrypto: the same call in browsers and in Node >= 20 (globalThis.crypto).
  if (!globalThis.crypto?.subtle) {
    throw new Error('cannot check model files: WebCrypto is unavailable (browsers offer it only in secure contexts: serve the editor over https or from localhost)');
  }
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Refuses bytes whose SHA-256 is not `expected`, naming the file and both hashes. */
export async function verifySha256(bytes: Uint8Array, expected: string, file: string): Promise<void> {
  const actual = await sha256Bytes(bytes);
  if (actual !== expected.toLowerCase()) {
    throw new Error(`${file}: SHA-256 mismatch, the manifest says ${expected} but the file hashes to ${actual}; ` +
      'the file is corrupt or does not belong to this manifest');
  }
}
