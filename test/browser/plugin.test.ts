/**
 * The plugin page inside a fake Photopea (test/browser/fixtures/fake-photopea.html) that speaks the
 * subset of Photopea's Live Messaging the plugin uses. The plugin is served from the dev server
 * (127.0.0.1:P) and the host from another origin: a proxy on another port (same site, so the plugin
 * frame keeps its browser storage), or localhost:P (another site: a third-party frame, whose storage
 * this Chromium blocks, as browsers that block third-party cookies do). A frame from localhost forges
 * host messages, which must be ignored. Then the plugin page as a plain top-level page with the
 * file-picker host. Screenshots in test-results/screenshots/.
 */
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startHarness, type Harness } from './harness.ts';
import { dataUrlBytes, pngFacts, proxyOrigin } from './plugin-helpers.ts';

let h: Harness;
let proxy: Awaited<ReturnType<typeof proxyOrigin>>;
const warnings: string[] = [];
beforeAll(async () => {
  h = await startHarness();
  proxy = await proxyOrigin(Number(new URL(h.url).port));
  h.page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
}, 120_000);
afterAll(async () => {
  await h?.close();
  await proxy?.close();
});

interface FakeLayer { name: string; width: number; height: number; dataUrl: string }
const fakeHost = <T>(page: Page, expr: string) => page.evaluate((e) => new Function('host', `return ${e}`)((window as any).fakeHost), expr) as Promise<T>;

/** The host from `hostBase` (the proxy, or localhost), the plugin from the dev server, the forger from localhost. */
async function openFakePhotopea(page: Page, hostBase: string): Promise<{ plugin: Frame; foreign: Frame }> {
  const base = h.url; // http://127.0.0.1:PORT/
  const hostOrigin = new URL(hostBase).origin;
  const plugin = `${base}plugin.html?hostOrigin=${encodeURIComponent(hostOrigin)}&workflow=user-guided`;
  const foreign = `${base.replace('127.0.0.1', 'localhost')}test/browser/fixtures/foreign-sender.html`;
  await page.goto(`${hostBase}test/browser/fixtures/fake-photopea.html?plugin=${encodeURIComponent(plugin)}&foreign=${encodeURIComponent(foreign)}`);
  await page.waitForFunction(() => !!(window as any).fakeHost);
  const frameOf = async (re: RegExp) => {
    const find = () => page.frames().find((f) => f !== page.mainFrame() && re.test(f.url()));
    await expect.poll(() => !!find(), { timeout: 20_000 }).toBe(true);
    return find()!;
  };
  const pluginFrame = await frameOf(/\/plugin\.html/);
  const foreignFrame = await frameOf(/foreign-sender\.html/);
  await pluginFrame.waitForFunction(() => !!(window as any).discoPlugin, null, { timeout: 20_000 });
  await foreignFrame.waitForFunction(() => typeof (window as any).sendForged === 'function');
  return { plugin: pluginFrame, foreign: foreignFrame };
}

const statusOf = (f: Frame) => f.textContent('#plugin-status');

describe('Photopea plugin in a fake Photopea', () => {
  it('colorizes the document into a new layer, ignores forged messages and keeps the workflow per document', async () => {
    const { page } = h;
    const { plugin, foreign } = await openFakePhotopea(page, proxy.url);

    // The workflow for a new document is the training-free one, and the backend is stated.
    await expect.poll(() => statusOf(plugin), { timeout: 30_000 }).toMatch(/^Workflow: user-guided/);
    await expect.poll(() => plugin.textContent('#plugin-backend'), { timeout: 30_000 }).toMatch(/^Backend: (WebGPU|CPU)/);
    const backend = (await plugin.textContent('#plugin-backend'))!;
    expect(backend).toMatch(/single-threaded \(not cross-origin isolated\)/);
    expect(await plugin.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await plugin.textContent('#plugin-storage')).toBe('Workflows are kept per document in this browser.');
    // The plugin asked for the document's name (to key its workflow).
    expect(await fakeHost<string[]>(page, 'host.scripts')).toEqual(['app.echoToOE("disco-nodes:document:" + app.activeDocument.name);']);

    // Forged host messages from another origin while idle: each ignored with a warning, nothing happens.
    const statusBefore = await statusOf(plugin);
    warnings.length = 0;
    await foreign.evaluate(() => (window as any).sendForged());
    await expect.poll(() => warnings.filter((w) => /ignored a message from .*origin is not the host's/.test(w)).length).toBe(4);
    expect(await statusOf(plugin)).toBe(statusBefore);
    expect(await fakeHost<number>(page, 'host.layers.length')).toBe(1);
    expect(await fakeHost<number>(page, 'host.scripts.length')).toBe(1);

    // From the right origin but in the wrong shape (an object, an unknown string, a stray "done"): ignored too.
    warnings.length = 0;
    await page.evaluate(() => {
      const plugin = (document.getElementById('plugin') as HTMLIFrameElement).contentWindow!;
      for (const m of [{ files: ['x.png'] }, 'hello', 'done']) plugin.postMessage(m, '*');
    });
    await expect.poll(() => warnings.filter((w) => /ignored a message from http:\/\/127\.0\.0\.1:\d+: (unexpected data|a "done" with no script waiting)/.test(w)).length).toBe(3);
    expect(await statusOf(plugin)).toBe(statusBefore);

    // Mark the workflow so we can recognise it when the plugin reopens.
    await plugin.evaluate(() => {
      const app = (document.querySelector('disco-editor') as any).editor;
      app.view.graph._nodes.find((n: any) => n.type === 'disco/save-image').setParam('filename_prefix', 'street-kept');
    });

    // Colorize; while the host holds its answer, the foreign frame slips in a forged 10×10 image.
    await fakeHost(page, 'host.hold = true');
    await plugin.click('#plugin-colorize');
    await expect.poll(() => fakeHost<boolean>(page, 'host.held !== null'), { timeout: 20_000 }).toBe(true);
    warnings.length = 0;
    await foreign.evaluate(() => (window as any).sendForged());
    await expect.poll(() => warnings.filter((w) => /ignored a message/.test(w)).length).toBe(4);
    await fakeHost(page, 'host.release()');
    await expect.poll(() => statusOf(plugin), { timeout: 120_000 }).toMatch(/^(Done|Colorize failed)/);
    expect(await statusOf(plugin)).toMatch(/^Done: "Disco colorized" added \(96×64\); the workflow is kept for street\.psd/);

    // The original layer is kept, and one new layer came back: a PNG of the document's size, coloured.
    const layers = await fakeHost<FakeLayer[]>(page, 'host.layers');
    expect(layers.map((l) => l.name)).toEqual(['Background', 'Smart Object']);
    const original = await pngFacts(dataUrlBytes(layers[0]!.dataUrl));
    const result = await pngFacts(dataUrlBytes(layers[1]!.dataUrl));
    expect([result.width, result.height]).toEqual([96, 64]);
    expect(original.meanChroma).toBe(0);
    expect(result.meanChroma).toBeGreaterThan(4);
    // The layer carries the workflow that made it (with the edit).
    expect(result.texts.workflow).toContain('street-kept');
    const echo = 'app.echoToOE("disco-nodes:document:" + app.activeDocument.name);';
    expect(await fakeHost<string[]>(page, 'host.scripts.map((s) => s.slice(0, 32))')).toEqual([
      echo, echo, 'app.activeDocument.saveToOE("png");', 'app.open("data:image/png;base64,',
    ].map((x) => x.slice(0, 32)));
    expect(await fakeHost<string[]>(page, 'host.unknown')).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'plugin-fake-photopea.png') });

    // Reopen the panel on the same document: the kept workflow (with the edit) comes back.
    await page.reload();
    const again = await openFakePhotopea(page, proxy.url);
    await expect.poll(() => statusOf(again.plugin), { timeout: 30_000 }).toMatch(/^Workflow kept for street\.psd loaded/);
    const prefix = await again.plugin.evaluate(() => {
      const app = (document.querySelector('disco-editor') as any).editor;
      return app.view.graph._nodes.find((n: any) => n.type === 'disco/save-image').params().filename_prefix;
    });
    expect(prefix).toBe('street-kept');
    expect(h.errors).toEqual([]);
  }, 240_000);

  it('still colorizes as a third-party frame whose browser storage is blocked', async () => {
    const { page } = h;
    const { plugin } = await openFakePhotopea(page, h.url.replace('127.0.0.1', 'localhost'));
    await expect.poll(() => statusOf(plugin), { timeout: 30_000 }).toMatch(/^Workflow: user-guided/);
    expect(await plugin.textContent('#plugin-storage')).toMatch(/^Browser storage is blocked in this frame \(.+\): workflows are kept only while the panel is open\.$/);
    await plugin.click('#plugin-colorize');
    await expect.poll(() => statusOf(plugin), { timeout: 120_000 }).toMatch(/^(Done|Colorize failed)/);
    expect(await statusOf(plugin)).toMatch(/^Done: "Disco colorized" added \(96×64\)/);
    const layers = await fakeHost<FakeLayer[]>(page, 'host.layers');
    expect(layers).toHaveLength(2);
    expect((await pngFacts(dataUrlBytes(layers[1]!.dataUrl))).meanChroma).toBeGreaterThan(4);
    await page.screenshot({ path: join(SHOTS, 'plugin-third-party-frame.png') });
    expect(h.errors).toEqual([]);
  }, 180_000);

  it('runs as a plain page with the file-picker host', async () => {
    const { page } = h;
    await page.goto(`${h.url}plugin.html?host=file&workflow=user-guided`);
    await expect.poll(() => page.textContent('#plugin-status'), { timeout: 30_000 }).toMatch(/^Workflow: user-guided/);
    expect(await page.textContent('#plugin-host')).toBe('File');
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 90, g: 90, b: 90 } } })
      .composite([{ input: { create: { width: 20, height: 15, channels: 3, background: { r: 200, g: 200, b: 200 } } }, left: 5, top: 5 }])
      .png().toBuffer();
    await page.setInputFiles('#plugin-file', { name: 'photo.png', mimeType: 'image/png', buffer: photo });
    await page.click('#plugin-colorize');
    await expect.poll(() => page.textContent('#plugin-status'), { timeout: 120_000 }).toMatch(/^(Done|Colorize failed)/);
    expect(await page.textContent('#plugin-status')).toMatch(/^Done: "Disco colorized" added \(40×30\); the workflow is kept for photo\.png:/);
    const link = page.locator('#plugin-results a');
    expect(await link.getAttribute('download')).toBe('Disco colorized.png');
    const bytes = await page.evaluate(async (href) => [...new Uint8Array(await (await fetch(href)).arrayBuffer())], (await link.getAttribute('href'))!);
    const facts = await pngFacts(new Uint8Array(bytes));
    expect([facts.width, facts.height]).toEqual([40, 30]);
    expect(facts.meanChroma).toBeGreaterThan(4);
    expect(JSON.parse(facts.texts.workflow!).nodes.length).toBeGreaterThan(5);
    await page.screenshot({ path: join(SHOTS, 'plugin-file-picker.png') });
    expect(h.errors).toEqual([]);
  }, 180_000);
});
