/**
 * The batch worker as one JavaScript file, built with esbuild (tsx's own TypeScript compiler) when
 * a batch starts. A worker started through tsx's loader resolves and compiles its ~200 TypeScript
 * modules one by one through Node's loader hooks, which run on another thread: on the 2-core build
 * VM that was about 1 s of CPU per worker before its first photo, twice the bundled worker's
 * (bench/README.md, "Batch"). The bundle goes to a temporary folder and is removed after the batch.
 *
 * What a bundle changes, and how it is kept equal: each file's `import.meta.url` is its own source
 * file's URL (models/ and workflows/ are found from it), and packages stay outside the bundle,
 * imported by absolute path, so the same files load as under tsx.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const WORKER_SOURCE = fileURLToPath(new URL('./worker.ts', import.meta.url));

export interface WorkerScript {
  /** The file to fork. */
  readonly script: string;
  /** Node options it needs (tsx's loader for the TypeScript source; none for the bundle). */
  readonly execArgv: readonly string[];
  /** Removes what was built for it. */
  dispose(): void;
}

/** The worker run through tsx's loader, as a fallback: slower to start, same behaviour. */
export function tsxWorker(source = WORKER_SOURCE): WorkerScript {
  return { script: source, execArgv: ['--import', import.meta.resolve('tsx')], dispose() {} };
}

/**
 * Bundles `source` (default: the batch worker); throws if esbuild cannot (the caller falls back
 * to tsxWorker).
 */
export async function bundleWorker(source = WORKER_SOURCE): Promise<WorkerScript> {
  const esbuild = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'disco-worker-'));
  const script = join(dir, 'worker.mjs');
  try {
    await esbuild.build({
      entryPoints: [source], outfile: script, bundle: true, platform: 'node', format: 'esm', target: 'node20',
      logLevel: 'silent', plugins: [ownImportMetaUrl, packagesByPath],
    });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    void esbuild.stop(); // its service process is not needed again
  }
  return { script, execArgv: [], dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `import.meta.url` in each TypeScript file becomes that file's URL (a bundle has one URL). */
const ownImportMetaUrl: import('esbuild').Plugin = {
  name: 'own-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)),
      loader: 'ts',
    }));
  },
};

/**
 * Packages (bare specifiers) stay outside the bundle and are imported by their resolved absolute
 * path, since the bundle lives in a temporary folder with no node_modules above it. Node's own
 * modules, and a package esbuild cannot find (an optional one, e.g. `webgpu`), stay as written.
 */
const packagesByPath: import('esbuild').Plugin = {
  name: 'packages-by-path',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner') return undefined; // esbuild's own resolution, for the lookup below
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
      if (found.errors.length || !found.path || found.external) return { path: args.path, external: true };
      return { path: found.path, external: true };
    });
  },
};
