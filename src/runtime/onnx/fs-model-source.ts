/** Model sets in a directory (Node: the CLI and tests): `<dir>/<set>/manifest.json` plus the stage files. */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileReadError, MAX_MANIFEST_BYTES, MAX_MODEL_FILE_BYTES, readRegularFile } from '../read-regular-file.ts';
import { parseJsonText } from '../workflow/json-text.ts';
import { checkSegment, type ModelSource } from './model-source.ts';

/** `<repo>/models`, found relative to this file (src/runtime/onnx/). */
export const defaultModelsDir = (): string => fileURLToPath(new URL('../../../models/', import.meta.url));

export function fsModelSource(dir: string = defaultModelsDir()): ModelSource {
  const where = (set: string, file?: string): string => join(dir, set, file ?? '');

  async function listSets(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return []; // no models directory yet: no sets
    }
    const sets: string[] = [];
    for (const n of names.sort()) {
      const ok = await stat(join(dir, n, 'manifest.json')).then((s) => s.isFile(), () => false);
      if (ok) sets.push(n);
    }
    return sets;
  }

  return {
    listSets,
    where,
    async readManifest(set) {
      const path = where(checkSegment(set, 'model set'), 'manifest.json');
      let text: string;
      try {
        text = (await readRegularFile(path, { what: 'manifest', maxBytes: MAX_MANIFEST_BYTES })).toString('utf8');
      } catch (e) {
        if ((e as FileReadError).code !== 'ENOENT') throw e;
        const sets = await listSets();
        throw new Error(`model set "${set}" not found: ${path} does not exist (sets in ${dir}: ${sets.length ? sets.join(', ') : 'none'})`);
      }
      try {
        return parseJsonText(text);
      } catch (e) {
        throw new Error(`${path}: ${(e as Error).message}`);
      }
    },
    async readFile(set, file) {
      const path = where(checkSegment(set, 'model set'), checkSegment(file, 'file'));
      const buf = await readRegularFile(path, { what: 'model file', maxBytes: MAX_MODEL_FILE_BYTES });
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    },
  };
}
