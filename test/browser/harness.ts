/**
 * Serves the editor with Vite's dev server on a free port and drives Debian's Chromium through
 * playwright-core (software WebGPU via --enable-unsafe-webgpu). Collects page errors so a test can
 * assert there were none.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { createServer, type PluginOption, type ViteDevServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SHOTS = join(ROOT, 'test-results', 'screenshots');

export interface Harness {
  url: string;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, in order. */
  errors: string[];
  /** Console warnings, in order. */
  warnings: string[];
  close(): Promise<void>;
}

export async function startHarness(opts: { plugins?: PluginOption[] } = {}): Promise<Harness> {
  const server: ViteDevServer = await createServer({
    root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'error', plugins: opts.plugins,
    server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false },
  });
  await server.listen();
  const addr = server.httpServer!.address();
  if (!addr || typeof addr === 'string') throw new Error('vite did not report a port');
  const url = `http://127.0.0.1:${addr.port}/`;

  const userDir = await mkdtemp(join(tmpdir(), 'disco-chromium-'));
  await mkdir(SHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(userDir, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1440, height: 900 }, acceptDownloads: true,
    args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-gpu-sandbox', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const warnings: string[] = [];
  const watch = (p: Page) => {
    p.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      if (m.type() === 'warning') warnings.push(m.text());
    });
  };
  watch(page);
  return {
    url, context, page, errors, warnings,
    async close() {
      await context.close().catch(() => undefined);
      await server.close();
      await rm(userDir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts one harness before a file's tests and closes it after them, handing it to `set` (so the
 * tests keep a plain `h`). `start: false` starts none (e.g. the models are missing and the tests skip).
 */
export function useHarness(set: (h: Harness) => void, opts: { start?: boolean } = {}): void {
  let started: Harness | undefined;
  beforeAll(async () => {
    if (opts.start === false) return;
    started = await startHarness();
    set(started);
  }, 120_000);
  afterAll(async () => {
    await started?.close();
  });
}

/** Warnings from our code: all but the dev server's Lit dev-mode notice (the production build has none; csp.test.ts). */
export function ourWarnings(warnings: readonly string[]): string[] {
  return warnings.filter((w) => !/^Lit is in dev mode/.test(w));
}

/** Waits until the editor object exists and its autosave restore has finished. */
export async function waitForEditor(page: Page, errors: string[] = []): Promise<void> {
  await page.waitForFunction(() => (window as any).discoEditor !== undefined, null, { timeout: 20_000 }).catch((e) => {
    throw new Error(`the editor did not start: ${(e as Error).message}\npage errors:\n${errors.join('\n')}`);
  });
  await page.evaluate(() => (window as any).discoEditor.restored);
}

/**
 * The editor's engine worker among the page's workers (onnxruntime-web's thread workers may run the
 * same script; the engine's is the one named `disco-engine`).
 */
export async function engineWorker(page: Page): Promise<Worker> {
  for (const w of page.workers()) if ((await w.evaluate(() => self.name).catch(() => '')) === 'disco-engine') return w;
  throw new Error(`no engine worker among ${page.workers().map((w) => w.url()).join(', ') || 'no workers'}`);
}

/** Screen position (page pixels) of a node's input or output slot centre. */
export async function slotScreenPos(page: Page, nodeId: number, kind: 'input' | 'output', slot: number): Promise<{ x: number; y: number }> {
  return page.evaluate(([id, k, s]) => {
    const app = (window as any).discoEditor;
    const node = app.view.graph.getNodeById(id);
    const p = k === 'input' ? node.getInputPos(s) : node.getOutputPos(s);
    const { offset, scale } = app.view.canvas.ds;
    const [ox, oy] = [(p[0] + offset[0]) * scale, (p[1] + offset[1]) * scale];
    const r = app.view.el.getBoundingClientRect();
    return { x: r.left + ox, y: r.top + oy };
  }, [nodeId, kind, slot] as const);
}

/** Screen position of a node's widget (by label), at its centre. */
export async function widgetScreenPos(page: Page, nodeId: number, name: string): Promise<{ x: number; y: number }> {
  return page.evaluate(([id, n]) => {
    const app = (window as any).discoEditor;
    const node = app.view.graph.getNodeById(id);
    const w = node.widgets.find((x: any) => x.name === n);
    if (!w) throw new Error(`node ${id} has no widget "${n}"`);
    const { offset, scale } = app.view.canvas.ds;
    const [ox, oy] = [(node.pos[0] + node.size[0] / 2 + offset[0]) * scale, (node.pos[1] + w.y + 10 + offset[1]) * scale];
    const r = app.view.el.getBoundingClientRect();
    return { x: r.left + ox, y: r.top + oy };
  }, [nodeId, name] as const);
}

/** How many runs the editor has finished (the page counts them in `window.__runs`). */
export function runsDone(h: Harness): Promise<number> {
  return inEditor<number>(h, 'return window.__runs ?? 0');
}

/** Waits until more than `before` runs have finished (long timeout: models on WASM are slow on 2 cores). */
export async function nextRun(h: Harness, before: number): Promise<void> {
  await h.page.waitForFunction((n) => ((window as any).__runs ?? 0) > n, before, { timeout: 600_000, polling: 500 });
}

/** Id of the first node of `type` in the editor's graph. */
export function nodeIdOfType(h: Harness, type: string): Promise<number> {
  return inEditor<number>(h, 'return app.view.graph._nodes.find((n) => n.type === arg).id', type);
}

/** Runs `src` in the page as the body of `function (app, arg)`, with app = window.discoEditor (the EditorApp). */
export function inEditor<T>(h: Harness, src: string, arg?: unknown): Promise<T> {
  return h.page.evaluate(([s, a]) => new Function('app', 'arg', s)((window as any).discoEditor, a), [src, arg] as const) as Promise<T>;
}

/** Mean chroma (max - min of R, G, B) of a node's full-size image in the editor. */
export function meanChroma(h: Harness, nodeId: string): Promise<number> {
  return inEditor<number>(h, `
  return app.engine.inspect({ kind: 'image', nodeId: arg }).then((r) => {
    const c = new OffscreenCanvas(r.width, r.height); const g = c.getContext('2d'); g.drawImage(r.bitmap, 0, 0);
    const d = g.getImageData(0, 0, r.width, r.height).data; let s = 0;
    for (let i = 0; i < d.length; i += 4) s += Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]);
    return s / (d.length / 4);
  });`, nodeId);
}
