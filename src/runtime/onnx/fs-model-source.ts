/** Model sets in a directory (Node: the CLI and tests): `<dir>/<set>/manifest.json` plus the stage files. */
import { statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileReadError, MAX_MANIFEST_BYTES, MAX_MODEL_FILE_BYTES, readRegularFile, readRegularFileSync } from '../read-regular-file.ts';
import { parseJsonText } from '../workflow/json-text.ts';
import { checkSegment, type ModelSource } from './model-source.ts';

/** `<repo>/models`, found relative to this file (src/runtime/onnx/). */
export const defaultModelsDir = (): string => fileURLToPath(new URL('../../../models/', import.meta.url));

/**
 * A file whose status changed less than this long ago gets no stamp: file times tick in steps (a
 * few ms on Linux, up to 2 s on some filesystems), so a second change within the same step could
 * leave the stamp as it was.
 */
const SETTLE_MS = 2000;

export interface FsModelSourceOptions {
  /** The clock stamps are judged by (ms since 1970; default Date.now); tests move it on. */
  readonly now?: () => number;
}

export function fsModelSource(dir: string = defaultModelsDir(), opts: FsModelSourceOptions = {}): ModelSource {
  const where = (set: string, file?: string): string => join(dir, set, file ?? '');
  const now = opts.now ?? Date.now;
  /** Per set, the manifest last read: its stamp, text and JSON, given again while the file keeps its stamp or text. */
  const manifests = new Map<string, { stamp: string | undefined; text: string; json: unknown }>();

  // Any write, truncation or touch sets the ctime (which no program can set back), a file renamed
  // over it has another inode.
  function stampOf(path: string): string | undefined {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st?.isFile() || now() - st.ctimeMs < SETTLE_MS) return undefined;
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  }

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
    // Read synchronously: a manifest is a few kB, less work than the thread-pool hand-offs of an
    // asynchronous read (read-regular-file.ts); and not at all while its stamp stays the same.
    async readManifest(set) {
      const path = where(checkSegment(set, 'model set'), 'manifest.json');
      const stamp = stampOf(path); // before reading: a change while it is read gives a new stamp
      const known = manifests.get(set);
      if (stamp !== undefined && known?.stamp === stamp) return known.json;
      let text: string;
      try {
        text = readRegularFileSync(path, { what: 'manifest', maxBytes: MAX_MANIFEST_BYTES }).toString('utf8');
      } catch (e) {
        if ((e as FileReadError).code !== 'ENOENT') throw e;
        const sets = await listSets();
        throw new Error(`model set "${set}" not found: ${path} does not exist (sets in ${dir}: ${sets.length ? sets.join(', ') : 'none'})`);
      }
      if (known?.text === text) {
        manifests.set(set, { ...known, stamp });
        return known.json;
      }
      let json: unknown;
      try {
        json = parseJsonText(text);
      } catch (e) {
        throw new Error(`${path}: ${(e as Error).message}`);
      }
      manifests.set(set, { stamp, text, json });
      return json;
    },
    async readFile(set, file) {
      const path = where(checkSegment(set, 'model set'), checkSegment(file, 'file'));
      const buf = await readRegularFile(path, { what: 'model file', maxBytes: MAX_MODEL_FILE_BYTES });
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    },
    stamp: (set, file) => stampOf(where(checkSegment(set, 'model set'), checkSegment(file, 'file'))),
  };
}
