/**
 * The editor where users see it, in its own process:
 *   node --import tsx bench/browser.ts '<BrowserJob as JSON>'
 * Builds the site (vite build, into a temporary folder), serves it with `vite preview` (the same
 * headers as the dev server), and drives Debian's Chromium through playwright-core on the CPU/WASM
 * path (`?backend=cpu`: CPU kernels, onnxruntime-web on WASM). It opens disco-auto, drops the
 * 1024×768 photo, and times:
 *  - first result: the Run click (page and photo loaded) to the result drawn in the viewer (the
 *    viewer's `image-drawn` event), model loading included; once per visit, each visit in a fresh
 *    browser (empty HTTP and code caches: a first visit), and the median of the visits is reported;
 *  - anchor recolours (in the first visit): the click on an anchor, the colour picked in its popover
 *    and the rerun (it starts as soon as the colour is picked: no delay), to the new result drawn.
 * Writes a BrowserResult (or a SkippedResult) as JSON to job.out.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import type { BrowserJob, BrowserResult, SkippedResult } from './jobs.ts';
import { median } from './stats.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
/** A distinct colour per edit, so every recolour changes the result. */
const COLOURS = ['#1f9e3a', '#c03020', '#2040c0', '#e0b020', '#8030a0', '#20a0a0', '#e07010', '#606060'];
const LONG = 15 * 60_000;

const log = (msg: string) => process.stderr.write(`bench: browser: ${msg}\n`);

async function serveBuild(): Promise<{ url: string; close(): Promise<void> }> {
  const outDir = mkdtempSync(join(tmpdir(), 'disco-bench-site-'));
  const configFile = join(ROOT, 'vite.config.ts');
  log('vite build');
  await build({ root: ROOT, configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const server = await preview({ root: ROOT, configFile, logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const addr = server.httpServer.address();
  if (!addr || typeof addr === 'string') throw new Error('vite preview did not report a port');
  return {
    url: `http://127.0.0.1:${addr.port}/`,
    async close() {
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

const editor = <T>(page: Page, src: string, arg?: unknown): Promise<T> =>
  page.evaluate(([s, a]) => new Function('app', 'arg', s)((window as any).discoEditor, a), [src, arg] as const) as Promise<T>;

/** Results drawn so far (the viewer's `image-drawn` events, as Date.now() times in the page). */
const drawnTimes = (page: Page) => page.evaluate(() => (window as any).__drawn as number[]);

async function nextDrawn(page: Page, before: number): Promise<number> {
  await page.waitForFunction((n) => (window as any).__drawn.length > n, before, { timeout: LONG, polling: 50 });
  return (await drawnTimes(page))[before];
}

/** One visit's measurements: a fresh browser (empty caches), so every visit is a first visit. */
interface Visit {
  readonly firstResultMs: number;
  readonly editMs: number[];
  readonly runMs: number[];
  /** The first result of a second tab in the same browser (caches warm), when asked for. */
  readonly returningMs?: number;
  readonly backendLabel: string;
  readonly isolated: boolean;
  readonly chromiumVersion: string;
}

/**
 * Opens the editor in `page`, chooses disco-auto, drops the photo and clicks Run: the time from the
 * click to the result drawn, or why the run failed.
 */
async function timeFirstResult(page: Page, siteUrl: string, photo: Buffer): Promise<number | SkippedResult> {
  // example=none: a blank editor, so the first visit's own run of disco-auto is not timed here.
  await page.goto(`${siteUrl}?backend=cpu&example=none`);
  await page.waitForFunction(() => (window as any).discoEditor?.backend !== undefined, null, { timeout: 120_000 });
  await page.evaluate(() => (window as any).discoEditor.restored);
  await page.selectOption('#examples-menu', 'disco-auto');
  await page.waitForFunction(() => (window as any).discoEditor.view.graph._nodes.some((n: any) => n.type === 'disco/spixelnet'));
  await page.evaluate((b64) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'photo-1024x768.png', { type: 'image/png' }));
    const el = document.getElementById('graph-canvas')!;
    const r = el.getBoundingClientRect();
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.right - 20, clientY: r.bottom - 20 }));
  }, photo.toString('base64'));
  // The photo is loaded when Load Image names it: its storage key is its SHA-256. (disco-auto opens
  // with its bundled photo's key, so any key would not do: Run would start on the bundled photo.)
  const key = createHash('sha256').update(photo).digest('hex');
  await page.waitForFunction((k) => (window as any).discoEditor.view.graph._nodes.some((n: any) => n.type === 'disco/load-image' && n.params().image === k), key);
  await page.evaluate(() => {
    const w = window as any;
    w.__drawn = [];
    w.__runMs = [];
    document.querySelector('disco-viewer')!.addEventListener('image-drawn', () => w.__drawn.push(Date.now()));
    w.discoEditor.onRunFinished = (s: { ms: number; ok: boolean; error?: string }) => w.__runMs.push(s.ok ? s.ms : -1);
  });

  const t0 = Date.now();
  await page.click('#run-button');
  const ms = (await nextDrawn(page, 0)) - t0;
  await page.waitForFunction(() => (window as any).__runMs.length > 0, null, { timeout: LONG });
  if ((await page.evaluate(() => (window as any).__runMs[0])) < 0) {
    return { skipped: `failed: the first run did not succeed (${await page.textContent('#run-status').catch(() => '')})` };
  }
  // The result drawn is the dropped photo's (a PNG's width and height are bytes 16-23 of its IHDR chunk).
  const want = `${photo.readUInt32BE(16)}x${photo.readUInt32BE(20)}`;
  const drawn = await page.evaluate(() => { const i = (document.querySelector('disco-viewer') as any).image; return `${i?.width}x${i?.height}`; });
  if (drawn !== want) return { skipped: `failed: the first result is ${drawn}, not the dropped ${want} photo's` };
  log(`first result ${ms} ms`);
  return ms;
}

/**
 * One visit in a fresh browser (empty HTTP and code caches): the first result, then `edits` anchor
 * recolours, then (with `returning`) the same first result in a second tab of the same browser, as a
 * user who comes back finds it (the models and onnxruntime's files come from the HTTP cache).
 */
async function visit(siteUrl: string, photo: Buffer, edits: number, returning: boolean): Promise<Visit | SkippedResult> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const firstResultMs = await timeFirstResult(page, siteUrl, photo);
    if (typeof firstResultMs !== 'number') return firstResultMs;
    const backendLabel = (await page.textContent('#backend'))?.trim() ?? '';
    const isolated = await page.evaluate(() => self.crossOriginIsolated);

    const editMs: number[] = [];
    if (edits > 0) await page.waitForFunction(() => (window as any).discoEditor.viewer.el.anchors.length > 0, null, { timeout: 60_000 });
    const frame = page.locator('.viewer-frame');
    for (let i = 0; i < edits; i++) {
      log(`anchor recolour ${i + 1}/${edits}`);
      const anchors = await editor<{ x: number; y: number }[]>(page, 'return app.viewer.el.anchors.map((a) => ({ x: a.x, y: a.y }))');
      const a = anchors[i % anchors.length];
      const box = (await frame.boundingBox())!;
      const before = (await drawnTimes(page)).length;
      const runsBefore = await page.evaluate(() => (window as any).__runMs.length);
      const start = Date.now();
      await page.mouse.click(box.x + a.x * box.width, box.y + a.y * box.height);
      await page.locator('disco-anchor-popover').waitFor({ timeout: 10_000 });
      await page.locator('disco-anchor-popover input.anchor-color').fill(COLOURS[i % COLOURS.length]);
      editMs.push((await nextDrawn(page, before)) - start);
      // Let the rest of the viewer's refresh finish before the next edit.
      await page.waitForFunction((n) => (window as any).__runMs.length > n, runsBefore, { timeout: LONG });
      await page.keyboard.press('Escape');
      await page.locator('disco-anchor-popover').waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
    }
    const runMs = await page.evaluate(() => (window as any).__runMs as number[]);
    let returningMs: number | undefined;
    if (returning) {
      // A returning user's caches, not their document: the editor would restore and rerun the first
      // tab's autosaved graph, so its storage is cleared from a same-origin page without the editor.
      await page.close();
      const again = await context.newPage();
      again.on('pageerror', (e) => errors.push(e.message));
      await again.goto(`${siteUrl}models/disco-lite/manifest.json`);
      await again.evaluate(() => new Promise((resolve) => {
        localStorage.clear();
        const req = indexedDB.deleteDatabase('disco-nodes');
        req.onsuccess = req.onerror = req.onblocked = () => resolve(undefined);
      }));
      log('returning visit: first result in a second tab');
      const ms = await timeFirstResult(again, siteUrl, photo);
      if (typeof ms !== 'number') return ms;
      returningMs = ms;
    }
    if (errors.length) return { skipped: `failed: page errors: ${errors.slice(0, 3).join('; ')}` };
    return { firstResultMs, editMs, runMs, returningMs, backendLabel, isolated, chromiumVersion: browser.version() };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

async function main(job: BrowserJob): Promise<BrowserResult | SkippedResult> {
  const site = await serveBuild();
  const photo = readFileSync(job.photo);
  try {
    const visits: Visit[] = [];
    for (let i = 0; i < job.visits; i++) {
      log(`visit ${i + 1}/${job.visits}: first result${i === 0 ? `, then ${job.edits} anchor recolours` : ''}`);
      const v = await visit(site.url, photo, i === 0 ? job.edits : 0, i === 0);
      if ('skipped' in v) return v;
      visits.push(v);
    }
    const first = visits[0];
    const firstResultsMs = visits.map((v) => v.firstResultMs);
    return {
      engine: `Chromium ${first.chromiumVersion}, ?backend=cpu (CPU kernels + onnxruntime-web WASM)${first.isolated ? ', cross-origin isolated' : ', not cross-origin isolated (WASM single-threaded)'}`,
      backendLabel: first.backendLabel, crossOriginIsolated: first.isolated,
      firstResultMs: median(firstResultsMs), firstResultsMs, returningFirstResultMs: first.returningMs,
      editMs: first.editMs, editRunMs: first.runMs.slice(1),
    };
  } finally {
    await site.close();
  }
}

const job = JSON.parse(process.argv[2] ?? 'null') as BrowserJob | null;
if (!job) {
  process.stderr.write('usage: node --import tsx bench/browser.ts \'<job JSON>\'\n');
  process.exit(2);
}
main(job).then(
  (result) => {
    writeFileSync(job.out, JSON.stringify(result));
    process.exit(0);
  },
  (e: unknown) => {
    process.stderr.write(`bench/browser.ts: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
