/**
 * The photos of a batch: `disco colorize <file|folder|glob>...`. A folder gives the photos directly
 * in it; a glob (`*`, `?`, `[abc]` within a name, `**` for any depth of folders) is expanded here,
 * for shells that pass it quoted. Each photo's result is `<out>/<name>.png`.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';

/** File extensions a folder or glob contributes (sharp decodes these). */
export const PHOTO_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff'];

const isPhoto = (name: string) => !name.startsWith('.') && PHOTO_EXTENSIONS.includes(extname(name).toLowerCase());
const hasGlob = (s: string) => /[*?[]/.test(s);

export interface BatchItem {
  readonly input: string;
  readonly output: string;
}

export const isDir = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

export const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

export const exists = (path: string): boolean => {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
};

/** Expands the command-line arguments to photo paths (absolute, in argument order, each once). */
export function expandInputs(args: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (path: string) => {
    let key = resolve(path);
    try {
      key = realpathSync(path);
    } catch { /* its read will report it */ }
    if (!seen.has(key)) {
      seen.add(key);
      out.push(resolve(path));
    }
  };
  for (const arg of args) {
    if (isDir(arg)) {
      const names = readdirSync(arg).filter(isPhoto).sort();
      if (!names.length) throw new Error(`${arg}: the folder has no photos (${PHOTO_EXTENSIONS.join(', ')})`);
      names.map((n) => join(arg, n)).filter((p) => !isDir(p)).forEach(add);
    } else if (exists(arg) || !hasGlob(arg)) {
      if (!exists(arg)) throw new Error(`${arg}: no such file or folder`);
      add(arg);
    } else {
      const matches = globFiles(arg).filter((p) => isPhoto(basename(p)));
      if (!matches.length) throw new Error(`${arg}: the pattern matches no photos`);
      matches.forEach(add);
    }
  }
  return out;
}

/** Files matching `pattern`, sorted. */
export function globFiles(pattern: string): string[] {
  const absolute = resolve(pattern);
  const parts = absolute.split(sep);
  let fixed = 0;
  while (fixed < parts.length && !hasGlob(parts[fixed])) fixed++;
  const root = parts.slice(0, fixed).join(sep) || sep;
  const found: string[] = [];
  const walk = (dir: string, rest: readonly string[]) => {
    if (!rest.length) return;
    const [seg, ...tail] = rest;
    let entries: { name: string; dir: boolean }[];
    try {
      entries = readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() || (e.isSymbolicLink() && isDir(join(dir, e.name))) }));
    } catch {
      return;
    }
    if (seg === '**') {
      walk(dir, tail); // zero folders
      for (const e of entries) if (e.dir && !e.name.startsWith('.')) walk(join(dir, e.name), rest);
      return;
    }
    const re = segmentRegExp(seg);
    for (const e of entries) {
      if (!re.test(e.name) || (e.name.startsWith('.') && !seg.startsWith('.'))) continue;
      const path = join(dir, e.name);
      if (!tail.length) {
        if (!e.dir) found.push(path);
      } else if (e.dir) walk(path, tail);
    }
  };
  walk(root, parts.slice(fixed));
  return [...new Set(found)].sort();
}

function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = seg.slice(i + 1, end);
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Pairs each photo with `<outDir>/<name>.png`. Refuses, naming them, two photos that would write
 * the same file, and an output folder that holds a photo of the batch (results would mix with, or
 * replace, the photos).
 */
export function planBatch(inputs: readonly string[], outDir: string): BatchItem[] {
  const dir = resolve(outDir);
  const realDir = (() => {
    try {
      return realpathSync(dir);
    } catch {
      return dir;
    }
  })();
  const byOutput = new Map<string, string>();
  return inputs.map((input) => {
    const folder = (() => {
      try {
        return realpathSync(dirname(input));
      } catch {
        return dirname(input);
      }
    })();
    if (folder === realDir) throw new Error(`${outDir}: is the folder of the photo ${input}; write the results to another folder`);
    const output = join(dir, `${basename(input, extname(input))}.png`);
    const other = byOutput.get(output);
    if (other) throw new Error(`${input} and ${other} would both be written to ${output}; colorize them into different folders`);
    byOutput.set(output, input);
    return { input, output };
  });
}
