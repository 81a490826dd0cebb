/**
 * The repository stands alone: no file may point outside it at the build machines' shared folder
 * (the reference vectors and key table used to live there; they are in test/fixtures/disco-vectors).
 * Walks the checkout, skipping what .gitignore names, node_modules, .git and binary files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Spelled in pieces so that this file does not match itself.
const OUTSIDE = new RegExp(['\\.\\./', '/work/'].map((p) => `${p}shared\\b`).join('|'));
const MAX_TEXT_BYTES = 4 << 20;

function ignoreRules(): { dirs: Set<string>; suffixes: string[] } {
  const dirs = new Set(['.git', 'node_modules']);
  const suffixes: string[] = [];
  for (const raw of readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('*')) suffixes.push(line.slice(1));
    else dirs.add(line.replace(/\/$/, ''));
  }
  return { dirs, suffixes };
}

function textFiles(dir: string, rules: ReturnType<typeof ignoreRules>, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!rules.dirs.has(entry.name)) textFiles(path, rules, out);
    } else if (entry.isFile() && !rules.suffixes.some((s) => entry.name.endsWith(s)) && statSync(path).size <= MAX_TEXT_BYTES) {
      out.push(path);
    }
  }
  return out;
}

describe('the repository stands alone', () => {
  it('has no reference to the shared folder beside it', () => {
    const files = textFiles(ROOT, ignoreRules());
    expect(files.length).toBeGreaterThan(100);
    const hits: string[] = [];
    for (const file of files) {
      const buf = readFileSync(file);
      if (buf.subarray(0, 8192).includes(0)) continue; // binary
      buf.toString('utf8').split('\n').forEach((line, i) => {
        if (OUTSIDE.test(line)) hits.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it('finds such a reference when there is one', () => {
    expect(OUTSIDE.test(`resolve(here, '../../${'..'}/shared/disco/vectors')`)).toBe(true);
    expect(OUTSIDE.test(`see /work/${'shared'}/notes/data.md`)).toBe(true);
    expect(OUTSIDE.test('values are shared between the cache and nodes')).toBe(false);
  });
});
