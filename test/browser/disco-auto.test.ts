/**
 * The automatic DISCO workflow with the real model set (models/disco-lite), end to end in headless
 * Chromium: open `disco-auto` from the Examples menu, drop a photo, run (CPU kernels + onnxruntime-web
 * on WASM: `?backend=cpu`, the fast pair on SwiftShader) at a working size the test can afford, see a
 * coloured result, with the model sessions made (and warmed up) when the workflow opened and the
 * photo decoded when it was dropped, so the first Run creates no session and decodes no photo;
 * recolour an automatic anchor in the viewer and check that only what is downstream of User Anchors
 * ran again; hover the image and see the top-10 colour swatches; pick a diverse
 * result with Auto-run off and find it in the viewer and in the exported PNG.
 * Skipped when the model set is not in the working tree.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hexToAb } from '../../src/nodes/anchors/user-anchors.ts';
import { inEditor, meanChroma, nextRun, ourWarnings, ROOT, runsDone, SHOTS, useHarness, waitForEditor, type Harness } from './harness.ts';

const HAVE_MODELS = existsSync(join(ROOT, 'models/disco-lite/manifest.json'));
/** Working size for the test (the workflow says 256; SwiftShader and WASM are slow). */
const SIZE = Number(process.env.DISCO_AUTO_SIZE ?? 128);
/** DISCO_AUTO_BACKEND=webgpu runs on WebGPU (our kernels and ORT's WebGPU EP; very slow on SwiftShader). */
const WEBGPU = process.env.DISCO_AUTO_BACKEND === 'webgpu';

let h: Harness;
useHarness((started) => (h = started), { start: HAVE_MODELS });

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);

/** Node type -> run state, for every node. */
const statesByType = () => editor<Record<string, string>>(`const o = {}; for (const n of app.view.graph._nodes) o[n.type.replace('disco/', '')] = app.status.get(n.id)?.state; return o;`);

const chroma = (nodeId: string): Promise<number> => meanChroma(h, nodeId);

/** The result's pixels, for comparing two runs. */
const pixels = (nodeId: string) => editor<number[]>(`
  return app.engine.inspect({ kind: 'image', nodeId: arg }).then((r) => {
    const c = new OffscreenCanvas(r.width, r.height); const g = c.getContext('2d'); g.drawImage(r.bitmap, 0, 0);
    return [...g.getImageData(0, 0, r.width, r.height).data];
  });`, nodeId);

async function viewerPoint(x: number, y: number): Promise<{ x: number; y: number }> {
  const r = (await h.page.locator('.viewer-frame').boundingBox())!;
  return { x: r.x + x * r.width, y: r.y + y * r.height };
}

describe.skipIf(!HAVE_MODELS)('automatic DISCO with models/disco-lite', () => {
  it('runs, recolours an anchor (only the downstream stages rerun) and shows top-10 swatches', async () => {
    const { page } = h;
    await page.goto(`${h.url}?example=none&backend=${WEBGPU ? 'webgpu' : 'cpu'}`);
    await waitForEditor(page, h.errors);
    await page.waitForFunction((gpu) => new RegExp(gpu ? '^WebGPU' : '^CPU').test(document.getElementById('backend')!.textContent!), WEBGPU);
    await editor(`window.__runs = 0; window.__summaries = []; app.onRunFinished = (s) => { window.__runs++; window.__summaries.push(s); };`);

    await page.selectOption('#examples-menu', 'disco-auto');
    const nodes = JSON.parse(await readFile(join(ROOT, 'workflows', 'disco-auto.json'), 'utf8')).nodes.length;
    await expect.poll(() => editor<number>('return app.view.graph._nodes.length'), { timeout: 30_000 }).toBe(nodes);
    // Our photo, dropped on the canvas: it goes into the workflow's Load Image node.
    const photo = await readFile(join(ROOT, 'examples', 'chelsea-gray.png'));
    await page.evaluate((b64) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'cat.png', { type: 'image/png' }));
      const el = document.getElementById('graph-canvas')!;
      const r = el.getBoundingClientRect();
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.right - 20, clientY: r.bottom - 20 }));
    }, photo.toString('base64'));
    await page.waitForFunction(() => (window as any).discoEditor.view.graph._nodes.some((n: any) => n.type === 'disco/load-image' && /^[0-9a-f]{64}$/.test(n.params().image)));
    await editor(`app.view.graph._nodes.find((n) => n.type === 'disco/resize-to-working').setParam('size', arg)`, SIZE);
    // Opening the workflow had the engine load its model set: ready with no Run clicked.
    await expect.poll(() => editor<unknown>(`return app.engine.modelSets.get('disco-lite')`), { timeout: 300_000, interval: 500 })
      .toMatchObject({ state: 'ready' });
    expect(await runsDone(h)).toBe(0);

    // Run the whole workflow: every stage done, a coloured result, no model session made by the run.
    let runs = await runsDone(h);
    await page.click('#run-button');
    await nextRun(h, runs);
    expect(await editor<unknown>('return window.__summaries[0]')).toMatchObject({ ok: true, sessionsCreated: 0, photosDecoded: 0 });
    const first = await statesByType();
    expect(Object.values(first).every((s) => s === 'done'), JSON.stringify(first)).toBe(true);
    const saveId = await editor<string>(`return String(app.view.graph._nodes.find((n) => n.type === 'disco/save-image').id)`);
    const colour = await chroma(saveId);
    expect(colour).toBeGreaterThan(4);
    const firstPixels = await pixels(saveId);
    await expect.poll(() => editor<number>('return app.viewer.el.anchors.length'), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.locator('.viewer-frame').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(SHOTS, 'disco-auto-result.png') });

    // Hover: the top-10 colours of the superpixel under the cursor.
    const mid = await viewerPoint(0.5, 0.45);
    await page.mouse.move(mid.x, mid.y);
    await page.mouse.move(mid.x + 3, mid.y + 2);
    await expect.poll(() => page.locator('.hover-tip .swatch').count(), { timeout: 20_000 }).toBe(10);
    await page.screenshot({ path: join(SHOTS, 'disco-auto-hover-swatches.png') });

    // Recolour an automatic anchor in its popover: a user entry in its cell, and an automatic rerun.
    const anchor = (await editor<{ x: number; y: number; source: string }[]>('return app.viewer.el.anchors'))[0];
    expect(anchor.source).toBe('auto');
    const at = await viewerPoint(anchor.x, anchor.y);
    await page.mouse.click(at.x, at.y);
    await page.locator('disco-anchor-popover').waitFor();
    runs = await runsDone(h);
    await page.locator('disco-anchor-popover input.anchor-color').fill('#1f9e3a');
    await nextRun(h, runs);
    const userList = await editor<{ ab?: [number, number] }[]>(`return app.viewer.userNode().params().anchors`);
    expect(userList.map((a) => a.ab)).toContainEqual(hexToAb('#1f9e3a'));

    const second = await statesByType();
    const reran = ['user-anchors', 'merge-anchors', 'anchor-colors', 'color-generator', 'sp-diffuse', 'refine', 'recombine', 'save-image'];
    const expected = Object.fromEntries(Object.keys(second).map((t) => [t, reran.includes(t) ? 'done' : 'cached']));
    expect(second).toEqual(expected);
    expect(await chroma(saveId)).toBeGreaterThan(4);
    // The new colour went through the pipeline: Anchor Colors hands the colour generator a user anchor
    // in green (a < 0 in Lab), and the result changed. (How strongly a lite model follows it is a
    // matter of the model, not of the editor.)
    const colored = await editor<{ source: string; ab?: [number, number] }[]>(`
      const id = app.view.graph._nodes.find((n) => n.type === 'disco/anchor-colors').id;
      return app.engine.inspect({ kind: 'anchors', nodeId: String(id) }).then((r) => r.value.anchors.map((a) => ({ source: a.source, ab: a.ab })));`);
    const green = colored.filter((a) => a.source === 'user');
    expect(green).toHaveLength(1);
    expect(green[0].ab![0]).toBeLessThan(-20);
    expect(green[0].ab![1]).toBeGreaterThan(10);
    expect(await pixels(saveId)).not.toEqual(firstPixels);
    await page.locator('disco-anchor-popover').waitFor({ state: 'detached', timeout: 5000 }).catch(() => page.keyboard.press('Escape'));
    await page.screenshot({ path: join(SHOTS, 'disco-auto-recoloured.png') });

    // Diverse results: with Auto-run off, picking variant 2 runs at once; the viewer then shows the
    // picked result (nearest of the strip's thumbnails to it) and Export PNG writes exactly that.
    await page.uncheck('#auto-run');
    await page.click('button.tool:has-text("Diverse")');
    await expect.poll(() => page.textContent('.viewer-note'), { timeout: 300_000 }).toMatch(/Pick a result/);
    expect(await page.locator('.gallery-item img').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().width)))).toEqual([160, 160, 160, 160]);
    runs = await runsDone(h);
    await editor('window.__shown = app.viewer.el.image');
    await page.locator('.gallery-item').nth(2).click();
    await nextRun(h, runs);
    await page.waitForFunction(() => (window as any).discoEditor.viewer.el.image !== (window as any).__shown); // the viewer's refresh follows the run
    const nearest = await editor<number[]>(`
      const imgs = [...document.querySelectorAll('.gallery-item img')];
      return Promise.all(imgs.map((i) => i.decode())).then(() => {
        const w = imgs[0].naturalWidth, h = imgs[0].naturalHeight;
        const px = (src) => { const c = new OffscreenCanvas(w, h); const g = c.getContext('2d'); g.drawImage(src, 0, 0, w, h); return g.getImageData(0, 0, w, h).data; };
        const shown = px(app.viewer.el.image);
        return imgs.map((im) => { const p = px(im); let s = 0; for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - shown[i]); return s / p.length; });
      });`);
    expect(nearest.indexOf(Math.min(...nearest)), `viewer vs the strip: ${nearest.map((d) => d.toFixed(2))}`).toBe(2);
    expect(nearest[0]).toBeGreaterThan(nearest[2]);
    const [exported] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const png = await sharp(await readFile((await exported.path())!)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const shown = await editor<number[]>(`const b = app.viewer.el.image; const c = new OffscreenCanvas(b.width, b.height); const g = c.getContext('2d');
      g.drawImage(b, 0, 0); return [b.width, b.height, ...g.getImageData(0, 0, b.width, b.height).data];`);
    expect([png.info.width, png.info.height]).toEqual(shown.slice(0, 2));
    expect(Buffer.from(shown.slice(2)).equals(png.data), 'Export PNG writes what the viewer shows').toBe(true);
    await page.screenshot({ path: join(SHOTS, 'disco-auto-diverse-picked.png') });
    expect(h.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    // Hover swatches, the popover with the model's suggestions, a recolour, the gallery and a pick: no warnings from our code.
    expect(ourWarnings(h.warnings)).toEqual([]);
  }, 900_000);
});
