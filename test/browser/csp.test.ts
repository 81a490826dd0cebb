/**
 * The built site (vite build) ships a Content-Security-Policy on every page and boots under it with
 * no violations; under it, file content that reaches @comfyorg/litegraph's two code paths (the eval
 * in the number widget's prompt, and the HTML it builds for the node Properties menu from property
 * names) runs nothing; the engine starts onnxruntime-web from the binary the page preloaded. The
 * build goes to a temporary folder, served by a small static server.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../scripts/vite-csp.ts';
import { headersFile, ISOLATION_HEADERS } from '../../scripts/vite-isolation.ts';
import { listModelSets } from '../../scripts/vite-models.ts';
import { STARTED } from '../../src/runtime/onnx/ort-web.ts';
import { engineWorker, ROOT, waitForEditor } from './harness.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json', '.map': 'application/json',
};

let dist: string;
let server: Server;
let url: string;
let browser: Browser;

/** Serves `root` read-only on 127.0.0.1 (no directory listings, nothing outside root), with the isolation headers `_headers` asks for. */
function serve(root: string): Promise<{ server: Server; url: string }> {
  const s = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...ISOLATION_HEADERS });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => {
    const addr = s.address() as { port: number };
    resolve({ server: s, url: `http://127.0.0.1:${addr.port}/` });
  }));
}

/** Opens a page that records CSP violations (as events, before any script of the page runs) and errors. */
async function open(path: string): Promise<{ page: Page; violations: () => Promise<string[]>; errors: string[]; warnings: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const warnings: string[] = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) errors.push(`console: ${m.text()}`); });
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`));
  });
  await page.goto(url + path);
  return { page, errors, warnings, violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations) };
}

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'disco-dist-'));
  await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir: dist, emptyOutDir: true, sourcemap: false } });
  ({ server, url } = await serve(dist));
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-gpu-sandbox', '--no-first-run', '--disable-background-networking'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('Content-Security-Policy of the built site', () => {
  it('is the first thing in the head of every page', () => {
    const pages = readdirSync(dist).filter((f) => f.endsWith('.html'));
    expect(pages).toEqual(expect.arrayContaining(['index.html', 'plugin.html']));
    for (const p of pages) {
      const html = readFileSync(join(dist, p), 'utf8');
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
      expect(meta?.[1].replaceAll('&#39;', "'"), p).toBe(CONTENT_SECURITY_POLICY);
      expect(html.indexOf('Content-Security-Policy'), p).toBeLessThan(html.indexOf('<script'));
      expect(html, p).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline scripts to allow
    }
  });

  it('ships the model sets of models/ with an index (scripts/vite-models.ts, tested in models-site.test.ts)', () => {
    const sets = listModelSets(join(ROOT, 'models'));
    expect(JSON.parse(readFileSync(join(dist, 'models', 'index.json'), 'utf8'))).toEqual(sets);
    for (const set of sets) expect(readdirSync(join(dist, 'models', set))).toContain('manifest.json');
  });

  it.skipIf(!listModelSets(join(ROOT, 'models')).includes('disco-lite'))('runs the default workflow (disco-auto, real models) from a plain static server', async () => {
    const { page, errors, warnings, violations } = await open('index.html?example=none&backend=cpu');
    await waitForEditor(page, errors);
    expect(await page.evaluate(() => fetch('models/index.json').then((r) => r.json()))).toContain('disco-lite');
    const summary = await page.evaluate(async () => {
      const app = (window as any).discoEditor;
      await app.openExample('disco-auto');
      app.view.graph._nodes.find((n: any) => n.type === 'disco/resize-to-working').setParam('size', 64);
      return app.run();
    });
    const nodes = JSON.parse(readFileSync(join(ROOT, 'workflows', 'disco-auto.json'), 'utf8')).nodes.length;
    expect(summary).toMatchObject({ ok: true, cancelled: false, executed: nodes });
    // onnxruntime-web started from the binary the page preloaded (scripts/vite-ort-preload.ts): the
    // engine worker never downloaded it, the page did once.
    const countOrtFiles = () => performance.getEntriesByType('resource').filter((e) => /ort-wasm-simd-threaded-/.test(e.name)).length;
    const engine = await engineWorker(page);
    expect(await engine.evaluate((name) => performance.getEntriesByName(name).length, STARTED)).toBe(1);
    expect([await page.evaluate(countOrtFiles), await engine.evaluate(countOrtFiles)]).toEqual([1, 0]);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    // A production build in production mode: no Lit dev-mode notice, and nothing else warns on load and run.
    expect(warnings).toEqual([]);
    await page.close();
  }, 300_000);

  it('has no code generation left that file content could reach', () => {
    const files = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
    let evals = 0;
    for (const f of files) {
      const js = readFileSync(join(dist, 'assets', f), 'utf8');
      // The one eval: litegraph's number-widget prompt (blocked by the policy; see the last test).
      for (const m of js.matchAll(/\beval\s*\(/g)) {
        evals++;
        expect(js.slice(m.index! - 120, m.index!), f).toMatch(/prompt\(`Value`,this\.value/);
      }
      // zod's JIT (new Function from schema keys, never from data) is switched off wherever zod is bundled.
      if (/Object\.keys\(this\.closed\)/.test(js)) expect(/\(\{jitless:!0\}\)/.test(js), `${f} bundles zod's JIT without jitless`).toBe(true);
      expect(/new Function\s*\(/.test(js), `${f} calls new Function`).toBe(false);
    }
    expect(evals).toBe(1);
  });

  it('ships _headers asking static hosts for cross-origin isolation', () => {
    expect(readFileSync(join(dist, '_headers'), 'utf8')).toBe(headersFile());
    expect(headersFile()).toMatch(/^\/\*\n {2}Cross-Origin-Opener-Policy: same-origin\n {2}Cross-Origin-Embedder-Policy: require-corp\n {2}Cross-Origin-Resource-Policy: cross-origin\n$/);
  });

  it('the editor boots under it with no violations and no page errors, cross-origin isolated', async () => {
    const { page, errors, violations } = await open('index.html?example=none');
    await waitForEditor(page, errors);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // WASM threads need SharedArrayBuffer, which isolation gives: the engine says it uses more than one (on 2+ cores).
    await page.waitForFunction(() => /^CPU \+ WASM|^WebGPU/.test(document.getElementById('backend')!.textContent!), null, { timeout: 30_000 });
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    if (cores > 1) expect(await page.textContent('#backend')).toBe(`CPU + WASM (${cores} threads)`);
    await page.waitForTimeout(500); // let late work (worker start, wasm, thumbnails) report
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the plugin ignores ?hostOrigin= (a dev-server switch for tests): the built code does not have it', async () => {
    const assets = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
    for (const f of assets) expect(readFileSync(join(dist, 'assets', f), 'utf8'), f).not.toContain('hostOrigin');
    const page = await browser.newPage();
    await page.goto(`${url}plugin.html?host=photopea&hostOrigin=${encodeURIComponent(new URL(url).origin)}`);
    await page.waitForFunction(() => !!(window as any).discoPlugin, null, { timeout: 60_000 });
    expect(await page.evaluate(() => (window as any).discoPlugin.host.origin)).toBe('https://www.photopea.com');
    await page.close();
  });

  it('the plugin page boots under it with no violations', async () => {
    const { page, errors, violations } = await open('plugin.html');
    await page.waitForLoadState('load');
    await page.waitForTimeout(1000);
    expect(await violations()).toEqual([]);
    expect(errors.filter((e) => /Content Security Policy/.test(e))).toEqual([]);
    await page.close();
  });

  it('file content that reaches litegraph\'s eval or its HTML menus runs nothing', async () => {
    const { page, errors, violations } = await open('index.html?example=none');
    await waitForEditor(page, errors);
    const wf = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/bad/workflows/valid.json'), 'utf8'));
    const resize = wf.nodes.find((n: { type: string }) => n.type === 'disco/resize-to-working');
    resize.title = '<img src=x onerror="window.pwned=\'title\'">';
    resize.properties.params.size = "64;window.pwned='eval'"; // a number widget holding code
    resize.properties['<img src=y onerror="window.pwned=\'property\'">'] = 1; // a property name shown as HTML
    // Chromium lets code run by the DevTools protocol (page.evaluate) eval freely, so the payloads are
    // triggered from the page's own tasks: a real click on the dialog, and a timer for the menu.
    const opened = await page.evaluate((text) => {
      const app = (window as any).discoEditor;
      app.openText(text);
      const node = app.view.graph.nodes.find((n: any) => n.type === 'disco/resize-to-working');
      const canvas = app.view.canvas;
      canvas.constructor.active_canvas = canvas; // set by pointer events in real use
      // 1. The number widget's prompt, prefilled with the widget's value; pressing OK evals it. The
      // editor keeps the file's invalid value out of the widget (file-safety.test.ts); to test the
      // policy as a second line of defence, the payload is put into the widget by hand.
      const widget = node.widgets.find((w: any) => w.name === 'size');
      const fromFile = widget.value;
      widget.value = "64;window.pwned='eval'";
      const e = { canvasX: node.pos[0] + node.size[0] / 2, canvasY: node.pos[1] + 40, clientX: 200, clientY: 200 };
      widget.onClick({ e, node, canvas });
      return { fromFile, widgetValue: widget.value, dialogValue: (document.querySelector('.graphdialog input') as HTMLInputElement | null)?.value };
    }, JSON.stringify(wf));
    await page.click('.graphdialog button');
    // 2. litegraph's node Properties menu writes property names into innerHTML. Our nodes' menus leave
    // it out (file-safety.test.ts); here it is called directly, to test the policy.
    await page.evaluate(() => {
      const app = (window as any).discoEditor;
      const node = app.view.graph.nodes.find((n: any) => n.type === 'disco/resize-to-working');
      setTimeout(() => app.view.canvas.constructor.onShowMenuNodeProperties(null, {}, { clientX: 300, clientY: 300 }, undefined, node), 0);
    });
    await page.waitForSelector('.litecontextmenu', { state: 'attached' });
    await page.waitForTimeout(500); // an <img onerror> would have fired by now
    const outcome = {
      ...opened,
      menuHasImg: await page.evaluate(() => document.querySelector('.litecontextmenu')?.innerHTML.includes('<img') ?? false),
      pwned: await page.evaluate(() => (window as any).pwned ?? null),
    };
    // The file's value was refused; the hand-placed payloads did reach litegraph's code paths...
    expect(outcome.fromFile).toBe(256);
    expect(outcome.widgetValue).toBe("64;window.pwned='eval'");
    expect(outcome.dialogValue).toBe("64;window.pwned='eval'");
    expect(outcome.menuHasImg).toBe(true);
    // ...and the policy stopped both: nothing ran, and the browser says why.
    expect(outcome.pwned).toBeNull();
    const seen = await violations();
    expect(seen.some((v) => /^script-src: eval at /.test(v)), seen.join('\n')).toBe(true);
    expect(seen.some((v) => /^script-src(-attr)?: inline at /.test(v)), seen.join('\n')).toBe(true);
    await page.close();
  });
});
