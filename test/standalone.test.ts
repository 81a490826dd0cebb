/**
 * The repository stands alone: no file may point outside it at the build machines' shared folder
 * (the reference vectors and key table used to live there; they are in test/fixtures/disco-vectors),
 * nor cite the method spec kept there (the facts are in docs/disco-method.md; cite its sections).
 * Walks the checkout, skipping what .gitignore names, node_modules, .git and binary files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The folder's name, spelled in pieces so that no line of this file (its own examples below
// included) reads as a path to it. A relative path to a folder of that name is taken from the
// file's folder and counts only if it leaves the repository (a folder of that name inside it would
// be no reference outside).
const SHARED = ['sha', 'red'].join('');
const ABSOLUTE = new RegExp(`/work/${SHARED}\\b`);
const RELATIVE = new RegExp(`(?:\\.\\./)+${SHARED}\\b`, 'g');

/** Whether a line of the file at `file` points at the shared folder beside the repository. */
function pointsOutside(line: string, file: string): boolean {
  if (ABSOLUTE.test(line)) return true;
  return [...line.matchAll(RELATIVE)].some((m) => relative(ROOT, resolve(dirname(file), m[0])).startsWith('..'));
}

const SPEC_CITATION = new RegExp(`\\b${'SPEC'}(\\.md|'s| §| section)`);

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
  const lines: { where: string; line: string; file: string }[] = [];
  for (const file of textFiles(ROOT, ignoreRules())) {
    const buf = readFileSync(file);
    if (buf.subarray(0, 8192).includes(0)) continue; // binary
    buf.toString('utf8').split('\n').forEach((line, i) => lines.push({ where: `${relative(ROOT, file)}:${i + 1}`, line, file }));
  }

  it('has no reference to the shared folder beside it', () => {
    expect(lines.length).toBeGreaterThan(10_000);
    const hits = lines.filter((l) => pointsOutside(l.line, l.file)).map((l) => `${l.where}: ${l.line.trim()}`);
    expect(hits).toEqual([]);
  });

  it('cites docs/disco-method.md, not the spec outside the repository', () => {
    const hits = lines.filter((l) => SPEC_CITATION.test(l.line)).map((l) => `${l.where}: ${l.line.trim()}`);
    expect(hits, 'cite docs/disco-method.md §n instead').toEqual([]);
  });

  it('finds such a reference when there is one', () => {
    const helper = join(ROOT, 'test/helpers/vectors.ts');
    expect(pointsOutside(`resolve(here, '../../../${SHARED}/disco/vectors')`, helper)).toBe(true);
    expect(pointsOutside(`see /work/${SHARED}/notes/data.md`, join(ROOT, 'README.md'))).toBe(true);
    expect(pointsOutside(`vectors in \`../${SHARED}/disco\``, join(ROOT, 'README.md'))).toBe(true);
    const cpu = join(ROOT, 'src/runtime/backends/cpu/ab-bins.ts');
    expect(pointsOutside(`import { AB_BINS } from '../${SHARED}/ab-bins.ts';`, cpu)).toBe(false);
    expect(pointsOutside('values are shared between the cache and nodes', cpu)).toBe(false);
    expect(SPEC_CITATION.test(`/** SP-Pooling (${'SPEC'} §6) */`)).toBe(true);
    expect(SPEC_CITATION.test('const SPECIAL = 1; // docs/disco-method.md §6')).toBe(false);
  });
});
