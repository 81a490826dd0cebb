/**
 * A first visit (issue 16), on one page: the editor opens disco-auto with its example photo, fitted
 * and legible, with a one-line hint, and colourises it by itself; no warnings from our code on load
 * and run. Then the panes (drag the split, fold the palette, remembered after a reload), the top bar
 * at 1024x700, the problems panel after a failed run, and an exported result PNG (user-guided, no
 * models) dropped into a fresh browser profile (the photo is not there): it reruns on its own lightness.
 * CPU backend (`?backend=cpu`): the fast pair on SwiftShader. Screenshots: first-open-*.png.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { inEditor, meanChroma, ROOT, SHOTS, useHarness, waitForEditor, type Harness } from './harness.ts';

const HAVE_MODELS = existsSync(join(ROOT, 'models/disco-lite/manifest.json'));

let h: Harness;
useHarness((started) => (h = started), { start: HAVE_MODELS });

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `first-open-${name}.png`) });
/** Waits until the top bar reports the end of a run; resolves with its text. */
async function runEnded(page: Page, timeout = 600_000): Promise<string> {
  await page.waitForFunction(() => /^(Done|Finished with errors|Run failed|Cancelled)/.test(document.getElementById('run-status')!.textContent!), null, { timeout, polling: 250 });
  return (await page.textContent('#run-status'))!;
}
const runsDone = () => inEditor<number>(h, 'return window.__runs ?? 0');
const nextRun = (before: number) => h.page.waitForFunction((n) => ((window as any).__runs ?? 0) > n, before, { timeout: 120_000 });
/** Our warnings: the dev server's Lit prints a dev-mode notice (the production build does not; csp.test.ts). */
const ours = (warnings: string[]) => warnings.filter((w) => !/Lit is in dev mode/.test(w));

async function dropFile(page: Page, bytes: Buffer, name: string, type: string): Promise<void> {
  await page.evaluate(([b64, n, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], n, { type: t }));
    const el = document.getElementById('graph-canvas')!;
    const r = el.getBoundingClientRect();
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.right - 20, clientY: r.bottom - 20 }));
  }, [bytes.toString('base64'), name, type] as const);
}

describe.skipIf(!HAVE_MODELS)('first visit', () => {
  it('opens a colourised example, resizes panes, lists problems and reruns a result PNG elsewhere', async () => {
    const { page } = h;
    const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${h.url}?backend=cpu`);
    await waitForEditor(page, h.errors);

    // disco-auto with its photo, and the hint; the first run starts by itself and colours the photo.
    const example = JSON.parse(await readFile(join(ROOT, 'workflows', 'disco-auto.json'), 'utf8'));
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(example.nodes.length);
    expect(await page.textContent('.hint')).toMatch(/Drop a photo.*click an anchor/);
    const started = Date.now();
    expect(await runEnded(page)).toMatch(/^Done/);
    console.log(`first run on the CPU backend: ${((Date.now() - started) / 1000).toFixed(1)} s (under test load)`);
    const save = await editor<string>(`return String(app.view.graph._nodes.find((n) => n.type === 'disco/save-image').id)`);
    expect(await meanChroma(h, save)).toBeGreaterThan(4);
    await page.locator('.viewer-frame').waitFor({ state: 'visible' });
    await expect.poll(() => editor<number>('return app.viewer.el.anchors.length')).toBeGreaterThan(0);

    // Fitted and legible: the smallest node text is at least 11 px, and the first nodes are in view
    // (opening-view.test.ts checks every node and every text the canvas draws).
    const view = await editor<{ small: number; title: number; inView: boolean }>(`
      const c = app.view.canvas, ds = c.ds, r = app.view.el.getBoundingClientRect(), n = app.view.graph.getNodeById(1);
      const px = (font) => Number(/(\\d+)px/.exec(font)[1]) * ds.scale;
      const x = (n.pos[0] + ds.offset[0]) * ds.scale, y = (n.pos[1] + ds.offset[1]) * ds.scale;
      return { small: px(c.inner_text_font), title: px(c.title_text_font),
        inView: x >= 0 && y >= 0 && x + n.size[0] * ds.scale <= r.width && y + n.size[1] * ds.scale <= r.height };`);
    expect(view.small, 'slot labels and widgets').toBeGreaterThanOrEqual(11);
    expect(view.title).toBeGreaterThanOrEqual(11);
    expect(view.inView).toBe(true);
    await shot(page, '1440');
    expect(ours(h.warnings), 'console warnings on load and the first run').toEqual([]);
    expect(h.errors).toEqual([]);

    // Panes: dragging the handle widens the viewer; the palette (the first visit folded it to fit the
    // example, opening-view.test.ts) unfolds and narrows the graph; both are remembered.
    const viewerW = async () => (await page.locator('#viewer').boundingBox())!.width;
    const graphW = async () => (await page.locator('#stage').boundingBox())!.width;
    const paletteW = async () => (await page.locator('#palette').boundingBox())!.width;
    const w0 = await viewerW();
    const handle = (await page.locator('#split-handle').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + 300);
    await page.mouse.down();
    await page.mouse.move(handle.x - 200, handle.y + 300, { steps: 6 });
    await page.mouse.up();
    expect(await viewerW()).toBeCloseTo(w0 + 200, -1);
    const g0 = await graphW();
    expect(await paletteW()).toBeLessThan(40);
    await page.click('.palette-toggle');
    expect(await paletteW()).toBeGreaterThan(100);
    expect(await graphW()).toBeLessThan(g0 - 100);
    await expect.poll(async () => Math.abs((await editor<number>('return app.view.el.width')) - (await graphW()))).toBeLessThan(2);
    await shot(page, 'panes');
    // Auto-run off is remembered too: the restored graph then waits for Run (with it on, the restored
    // graph runs by itself: anchors.test.ts).
    await page.uncheck('#auto-run');
    await page.reload();
    await waitForEditor(page, h.errors);
    expect(await viewerW()).toBeCloseTo(w0 + 200, -1);
    expect(await paletteW()).toBeGreaterThan(100);
    expect(await page.isChecked('#auto-run')).toBe(false);
    await page.waitForTimeout(500);
    expect(await page.textContent('#run-status')).toBe('Ready');
    await page.check('#auto-run');
    await page.dblclick('#split-handle');

    // 1024x700: the top bar keeps everything on screen; the file actions are one click away.
    await page.setViewportSize({ width: 1024, height: 700 });
    const outside = await page.evaluate(() => [...document.querySelectorAll('#topbar > *, #topbar .group > *')]
      .filter((e) => (e as HTMLElement).offsetParent !== null && !e.closest('.files'))
      .filter((e) => { const r = e.getBoundingClientRect(); return r.right > innerWidth + 0.5 || r.bottom > 120; })
      .map((e) => e.outerHTML.slice(0, 80)));
    expect(outside).toEqual([]);
    await page.click('#menu-toggle');
    await page.locator('#file-actions button:has-text("Save")').first().waitFor({ state: 'visible' });
    await shot(page, '1024-menu');
    await page.mouse.click(500, 400);
    await expect.poll(() => page.locator('#file-actions').isVisible()).toBe(false);
    await page.setViewportSize({ width: 1440, height: 900 });

    // A result PNG to take elsewhere: the user-guided example (no models: a fast rerun there).
    await editor(`window.__runs = 0; app.onRunFinished = () => { window.__runs++; };`);
    await editor(`return app.openExample('user-guided')`);
    let runs = await runsDone();
    await page.click('#run-button');
    await nextRun(runs);
    expect(await page.textContent('#run-status')).toMatch(/^Done/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const png = await readFile((await download.path())!);

    // A failed run: the problems panel names the failed node once, with its message; nothing about
    // the nodes it never reached; "Show node" brings it into view.
    await editor(`app.view.graph.getNodeById(1).setParam('image', '${'0'.repeat(64)}')`);
    runs = await runsDone();
    await page.click('#run-button');
    await nextRun(runs);
    expect(await page.textContent('#run-status')).toMatch(/^Finished with errors/);
    await page.locator('.problems li').first().waitFor();
    const items = await page.locator('.problems li').allTextContents();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatch(/Load Image #1/);
    expect(await page.locator('.toast').allTextContents()).not.toContainEqual(expect.stringMatching(/no results yet/));
    await editor('app.view.canvas.ds.offset = [-3000, -2000]; app.view.redraw()');
    await page.click('.problems .problem-show');
    expect(await editor<number[]>('return [...app.view.canvas.selectedItems].map((n) => n.id)')).toEqual([1]);
    await shot(page, 'problems');
    expect(ours(h.warnings)).toEqual([]);
    expect(h.errors).toEqual([]);

    // The result PNG in a fresh profile (its photo is not stored there): opened, the PNG is the input, and it reruns.
    const dir = await mkdtemp(join(tmpdir(), 'disco-fresh-'));
    const fresh = await chromium.launchPersistentContext(dir, {
      executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1440, height: 900 },
      args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const p2 = fresh.pages()[0] ?? (await fresh.newPage());
      const errors2: string[] = [];
      p2.on('pageerror', (e) => errors2.push(e.message));
      await p2.goto(`${h.url}?example=none&backend=cpu`);
      await waitForEditor(p2, errors2);
      await dropFile(p2, png, 'disco-result.png', 'image/png');
      await p2.locator('.toast', { hasText: 'not in this browser' }).waitFor();
      await p2.waitForFunction(() => /^[0-9a-f]{64}$/.test((window as any).discoEditor.view.graph.getNodeById(1).params().image));
      await p2.click('#run-button');
      expect(await runEnded(p2, 120_000)).toMatch(/^Done/);
      const chroma = await p2.evaluate((id) => {
        const app = (window as any).discoEditor;
        return app.engine.inspect({ kind: 'image', nodeId: id }).then((r: any) => {
          const c = new OffscreenCanvas(r.width, r.height); const g = c.getContext('2d')!; g.drawImage(r.bitmap, 0, 0);
          const d = g.getImageData(0, 0, r.width, r.height).data; let s = 0;
          for (let i = 0; i < d.length; i += 4) s += Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]);
          return s / (d.length / 4);
        });
      }, '11');
      expect(chroma).toBeGreaterThan(4);
      await p2.screenshot({ path: join(SHOTS, 'first-open-fresh-profile.png') });
      expect(errors2).toEqual([]);
    } finally {
      await fresh.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
