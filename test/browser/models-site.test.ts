/**
 * Model sets in the site (scripts/vite-models.ts): a build copies each set under models/ (manifest +
 * the stage files it names, sizes and SHA-256 checked) and writes models/index.json; the browser's
 * fetchModelSource reads the result from a plain static server; the dev server answers the same
 * index; a set whose file does not match its manifest stops the build with a message naming it.
 * Runs on a tiny site in a temporary folder (the real site's build is checked in csp.test.ts).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, createServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchModelSource } from '../../src/runtime/onnx/fetch-model-source.ts';
import { verifySha256 } from '../../src/runtime/onnx/manifest.ts';
import { listModelSets, modelsPlugin } from '../../scripts/vite-models.ts';
import { ROOT } from './harness.ts';

const FIXTURES = join(ROOT, 'test/fixtures/bad/models');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let tmp: string;

/** A one-page site with the given model-set fixtures under models/ (renamed as given). */
function makeSite(name: string, sets: Record<string, string>): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'models', 'not-a-set'), { recursive: true }); // no manifest: not listed
  writeFileSync(join(root, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
  writeFileSync(join(root, 'main.js'), 'document.title = "site";');
  for (const [as, fixture] of Object.entries(sets)) cpSync(join(FIXTURES, fixture), join(root, 'models', as), { recursive: true });
  return root;
}

const buildSite = (root: string) => build({ root, configFile: false, logLevel: 'silent', plugins: [modelsPlugin()], build: { outDir: join(root, 'dist'), emptyOutDir: true } });

function serve(root: string): Promise<{ server: Server; url: string }> {
  const s = createHttpServer((req, res) => {
    const file = join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/\.\./g, ''));
    if (!existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200).end(readFileSync(file));
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r({ server: s, url: `http://127.0.0.1:${(s.address() as { port: number }).port}/` })));
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'disco-models-site-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('model sets in the built site and the dev server', () => {
  it('the build copies every set, checked against its manifest, and lists them in index.json', async () => {
    const root = makeSite('good', { tiny: 'missing-stage' });
    writeFileSync(join(root, 'models', 'tiny', 'notes.txt'), 'training leftovers');
    await buildSite(root);
    const out = join(root, 'dist', 'models');
    expect(JSON.parse(readFileSync(join(out, 'index.json'), 'utf8'))).toEqual(['tiny']);
    expect(readdirSync(join(out, 'tiny')).sort()).toEqual(['manifest.json', 'spixelnet.onnx']);
    const manifest = JSON.parse(readFileSync(join(out, 'tiny', 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(JSON.parse(readFileSync(join(FIXTURES, 'missing-stage', 'manifest.json'), 'utf8')));
    for (const s of Object.values(manifest.stages) as { file: string; sha256: string; bytes: number }[]) {
      const bytes = readFileSync(join(out, 'tiny', s.file));
      expect(bytes.length).toBe(s.bytes);
      expect(sha(bytes)).toBe(s.sha256);
    }

    // The browser's model source reads it from any static server.
    const { server, url } = await serve(join(root, 'dist'));
    try {
      const src = fetchModelSource({ baseUrl: `${url}models/` });
      expect(await src.listSets()).toEqual(['tiny']);
      const m = (await src.readManifest('tiny')) as { stages: { spixelnet: { file: string; sha256: string } } };
      await verifySha256(await src.readFile('tiny', m.stages.spixelnet.file), m.stages.spixelnet.sha256, 'spixelnet.onnx');
    } finally {
      server.close();
    }
  }, 60_000);

  it('the dev server answers the same index.json and serves the files', async () => {
    const root = makeSite('dev', { tiny: 'missing-stage', other: 'sha-mismatch' });
    const server = await createServer({ root, configFile: false, logLevel: 'silent', plugins: [modelsPlugin()], server: { port: 0, host: '127.0.0.1', hmr: false } });
    await server.listen();
    try {
      const url = `http://127.0.0.1:${(server.httpServer!.address() as { port: number }).port}/`;
      expect(await (await fetch(`${url}models/index.json`)).json()).toEqual(listModelSets(join(root, 'models')));
      expect(listModelSets(join(root, 'models'))).toEqual(['other', 'tiny']);
      const onnx = new Uint8Array(await (await fetch(`${url}models/tiny/spixelnet.onnx`)).arrayBuffer());
      expect(sha(onnx)).toBe(sha(readFileSync(join(FIXTURES, 'missing-stage', 'spixelnet.onnx'))));
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a set whose file does not match its manifest stops the build, naming the file', async () => {
    const root = makeSite('bad', { broken: 'sha-mismatch' });
    await expect(buildSite(root)).rejects.toThrow(/model set "broken": spixelnet\.onnx is 744 bytes with SHA-256 [0-9a-f]{64}; the manifest says/);
    const missing = makeSite('missing', { gone: 'missing-file' });
    await expect(buildSite(missing)).rejects.toThrow(/model set "gone": .* is named by the manifest but missing/);
  }, 60_000);
});
