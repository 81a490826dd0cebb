/**
 * Model sets in the site. Every folder of `models/` that holds a manifest.json is a model set; the
 * browser finds them through `models/index.json`, a JSON array of set names (the format
 * src/runtime/onnx/fetch-model-source.ts reads). The dev server answers that index from the folder as
 * it is now (the files themselves it serves from the project root); the build copies each set's
 * manifest and the stage files it names to `<outDir>/models/<set>/`, checks each file's size and
 * SHA-256 against the manifest (a build never ships a set the browser would refuse), and writes the
 * index. Other files in a set folder (training leftovers, notes) are not shipped.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Names of the model sets in `dir` (folders with a manifest.json and a safe name), sorted. */
export function listModelSets(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && SAFE.test(e.name) && existsSync(join(dir, e.name, 'manifest.json')))
    .map((e) => e.name)
    .sort();
}

/** The stage files a manifest names, with their expected size and hash; throws naming what is wrong. */
export function stageFiles(manifestPath: string): { file: string; bytes: number; sha256: string }[] {
  let m: { stages?: Record<string, { file?: unknown; bytes?: unknown; sha256?: unknown }> };
  try {
    m = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new Error(`${manifestPath}: not valid JSON: ${(e as Error).message}`);
  }
  if (!m || typeof m.stages !== 'object' || m.stages === null) throw new Error(`${manifestPath}: no "stages" object`);
  return Object.entries(m.stages).map(([stage, s]) => {
    if (typeof s?.file !== 'string' || !SAFE.test(s.file) || s.file.includes('..')) throw new Error(`${manifestPath}: stage "${stage}" has no plain file name`);
    if (typeof s.bytes !== 'number' || typeof s.sha256 !== 'string') throw new Error(`${manifestPath}: stage "${stage}" lacks bytes or sha256`);
    return { file: s.file, bytes: s.bytes, sha256: s.sha256.toLowerCase() };
  });
}

export function modelsPlugin(opts: { dir?: string } = {}): Plugin {
  let config: ResolvedConfig;
  const dir = () => resolve(config.root, opts.dir ?? 'models');
  return {
    name: 'disco-models',
    configResolved(c) {
      config = c;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (new URL(req.url ?? '/', 'http://x').pathname !== '/models/index.json') return next();
        res.setHeader('content-type', 'application/json');
        res.setHeader('cache-control', 'no-store');
        res.end(JSON.stringify(listModelSets(dir())));
      });
    },
    async writeBundle() {
      const sets = listModelSets(dir());
      const out = resolve(config.root, config.build.outDir, 'models');
      await mkdir(out, { recursive: true });
      for (const set of sets) {
        const src = join(dir(), set);
        const files = stageFiles(join(src, 'manifest.json'));
        await mkdir(join(out, set), { recursive: true });
        for (const f of files) {
          const path = join(src, f.file);
          if (!existsSync(path)) throw new Error(`model set "${set}": ${path} is named by the manifest but missing`);
          const bytes = readFileSync(path);
          const sha = createHash('sha256').update(bytes).digest('hex');
          if (bytes.length !== f.bytes || sha !== f.sha256) {
            throw new Error(`model set "${set}": ${f.file} is ${bytes.length} bytes with SHA-256 ${sha}; the manifest says ${f.bytes} bytes, ${f.sha256}`);
          }
          await copyFile(path, join(out, set, f.file));
        }
        await copyFile(join(src, 'manifest.json'), join(out, set, 'manifest.json'));
      }
      await writeFile(join(out, 'index.json'), JSON.stringify(sets));
    },
  };
}
