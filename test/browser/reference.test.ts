/**
 * Colours from a reference photo in the editor (issue 19), end to end in headless Chromium with the
 * real model set on `?backend=cpu` at a small working size: open `reference-guided`, drag a colour
 * photo over the canvas (the split "Photo | Reference" shows, the right half lit) and drop it as the
 * reference; run (the reference with Keep Aspect, so its superpixels sit in a padded frame); hover an anchor coloured from the reference and see the reference view pick out the
 * matched superpixel with its confidence; open its popover ("from reference"), override the colour
 * and see the anchor become the user's. Screenshots go to test-results/screenshots/.
 * Skipped when the model set is not in the working tree.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hexToAb } from '../../src/nodes/anchors/user-anchors.ts';
import { inEditor, meanChroma, nextRun, nodeIdOfType, ourWarnings, ROOT, runsDone, SHOTS, useHarness, waitForEditor, type Harness } from './harness.ts';

const HAVE_MODELS = existsSync(join(ROOT, 'models/disco-lite/manifest.json'));
/** Working size of both the photo and the reference (the workflow says 256; WASM on 2 cores is slow). */
const SIZE = 128;

let h: Harness;
useHarness((started) => (h = started), { start: HAVE_MODELS });

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);
const imageKey = (id: number) => editor<string>(`return app.view.graph.getNodeById(arg).params().image`, id);

async function viewerPoint(x: number, y: number): Promise<{ x: number; y: number }> {
  const r = (await h.page.locator('.viewer-frame').boundingBox())!;
  return { x: r.x + x * r.width, y: r.y + y * r.height };
}

/** Drag events over the graph canvas at (fx, fy) of its size, carrying a file, as a desktop drag sends them. */
async function drag(type: 'dragenter' | 'dragover' | 'drop', bytes: Buffer, fx: number, fy: number): Promise<void> {
  await h.page.evaluate(([t, b64, x, y]) => {
    const w = window as any;
    if (!w.__dt) {
      w.__dt = new DataTransfer();
      w.__dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'reference.png', { type: 'image/png' }));
    }
    const el = document.getElementById('graph-canvas')!;
    const r = el.getBoundingClientRect();
    el.dispatchEvent(new DragEvent(t, { dataTransfer: w.__dt, bubbles: true, cancelable: true, clientX: r.left + x * r.width, clientY: r.top + y * r.height }));
    if (t === 'drop') w.__dt = undefined;
  }, [type, bytes.toString('base64'), fx, fy] as const);
}

interface ShownAnchor {
  id: string;
  x: number;
  y: number;
  cell: number;
  source: string;
  colourBy: string;
  reference?: { token: number; gridH: number; gridW: number; confidence: number; applied: boolean; box: number[] };
}
const viewAnchors = () => editor<ShownAnchor[]>('return app.viewer.el.anchors');

describe.skipIf(!HAVE_MODELS)('colours from a reference photo in the editor', () => {
  it('drops a reference, shows where an anchor took its colour from, and lets the user override it', async () => {
    const { page } = h;
    await page.goto(`${h.url}?example=none&backend=cpu`);
    await waitForEditor(page, h.errors);
    await page.waitForFunction(() => /^CPU/.test(document.getElementById('backend')!.textContent!));
    await editor(`window.__runs = 0; app.onRunFinished = () => { window.__runs++; };`);

    // The example: its photo loader and its reference loader each get their own bundled photo.
    await page.selectOption('#examples-menu', 'reference-guided');
    const nodes = JSON.parse(await readFile(join(ROOT, 'workflows', 'reference-guided.json'), 'utf8')).nodes.length;
    await expect.poll(() => editor<number>('return app.view.graph._nodes.length'), { timeout: 30_000 }).toBe(nodes);
    const [photoId, refId] = [await nodeIdOfType(h, 'disco/load-image'), await nodeIdOfType(h, 'disco/load-reference')];
    await page.waitForFunction(([p, r]) => [p, r].every((id) => /^[0-9a-f]{64}$/.test((window as any).discoEditor.view.graph.getNodeById(id).params().image)), [photoId, refId]);
    const photoKey = await imageKey(photoId);
    expect(await imageKey(refId)).not.toBe(photoKey);

    // Our own reference: the colour original flipped left-right, so positions do not line up.
    const reference = await sharp(join(ROOT, 'examples', 'chelsea.png')).flop().png().toBuffer();
    await drag('dragenter', reference, 0.9, 0.9);
    await drag('dragover', reference, 0.9, 0.9);
    await expect.poll(() => page.locator('.drop-split').isVisible()).toBe(true);
    expect(await page.locator('.drop-zone.lit').getAttribute('data-zone')).toBe('reference');
    expect(await page.textContent('.drop-zone[data-zone="reference"]')).toContain(`into Load Reference #${refId}`);
    expect(await page.textContent('.drop-zone[data-zone="photo"]')).toContain(`into Load Image #${photoId}`);
    await drag('dragover', reference, 0.2, 0.9);
    expect(await page.locator('.drop-zone.lit').getAttribute('data-zone')).toBe('photo');
    await drag('dragover', reference, 0.9, 0.9);
    await page.screenshot({ path: join(SHOTS, 'reference-drop-split.png') });
    const refKeyBefore = await imageKey(refId);
    await drag('drop', reference, 0.9, 0.9);
    await page.waitForFunction(([id, old]) => {
      const k = (window as any).discoEditor.view.graph.getNodeById(id).params().image;
      return /^[0-9a-f]{64}$/.test(k) && k !== old;
    }, [refId, refKeyBefore] as const);
    expect(await page.locator('.drop-split').isVisible()).toBe(false);
    expect(await imageKey(photoId), 'the photo stays as it was').toBe(photoKey);

    await editor(`for (const n of app.view.graph._nodes.filter((n) => n.type === 'disco/resize-to-working')) n.setParam('size', arg)`, SIZE);
    // The reference's own Resize to Working Size (Load Reference -> RGB to Lab -> it) keeps its aspect:
    // 451 x 300 becomes 128 x 85 in a 128 x 128 frame, and the view must map the labels through that.
    await editor(`
      const next = (n) => app.view.graph.getNodeById(app.view.graph.links.get(n.outputs[0].links[0]).target_id);
      const resize = next(next(app.view.graph.getNodeById(arg)));
      if (resize.type !== 'disco/resize-to-working') throw new Error('unexpected reference chain: ' + resize.type);
      resize.setParam('keepAspect', true);`, refId);
    let runs = await runsDone(h);
    await page.click('#run-button');
    await nextRun(h, runs);
    const states = await editor<Record<string, string>>(`const o = {}; for (const n of app.view.graph._nodes) o[n.id + ' ' + n.type] = app.status.get(n.id)?.state; return o;`);
    expect(Object.values(states).every((s) => s === 'done'), JSON.stringify(states)).toBe(true);
    expect(await meanChroma(h, String(await nodeIdOfType(h, 'disco/save-image')))).toBeGreaterThan(4);

    // The reference view shows the dropped photo (flipped: its left column is the original's right).
    await page.locator('disco-reference-view .ref-img').waitFor({ state: 'visible' });
    const shownRef = await editor<[number, number]>('const b = app.viewer.el.referenceImage; return [b.width, b.height]');
    const meta = await sharp(reference).metadata();
    expect(shownRef).toEqual([meta.width, meta.height]);
    expect(await page.textContent('disco-reference-view .ref-caption')).toMatch(/Hover an anchor/);

    // An anchor coloured from the reference: hover it and the view picks out its matched superpixel.
    await expect.poll(async () => (await viewAnchors()).length, { timeout: 30_000 }).toBeGreaterThan(0);
    const anchors = await viewAnchors();
    const fromRef = anchors.filter((a) => a.colourBy === 'reference');
    expect(fromRef.length, JSON.stringify(anchors.map((a) => [a.colourBy, a.reference?.confidence]))).toBeGreaterThan(0);
    // The most confident one the reference view (bottom left of the viewer) does not cover.
    const cover = (await page.locator('disco-reference-view').boundingBox())!;
    const frame = (await page.locator('.viewer-frame').boundingBox())!;
    const free = fromRef.filter((x) => {
      const px = frame.x + x.x * frame.width, py = frame.y + x.y * frame.height;
      return px < cover.x - 12 || px > cover.x + cover.width + 12 || py < cover.y - 12;
    });
    expect(free.length).toBeGreaterThan(0);
    const a = free.reduce((best, x) => (x.reference!.confidence > best.reference!.confidence ? x : best));
    expect(a.source).toBe('auto');
    expect(a.reference!.applied).toBe(true);
    expect([a.reference!.gridH, a.reference!.gridW]).toEqual([SIZE / 16, SIZE / 16]);
    const at = await viewerPoint(a.x, a.y);
    await page.mouse.move(at.x - 30, at.y - 30);
    await page.mouse.move(at.x, at.y, { steps: 4 });
    await expect.poll(() => editor<any>('return document.querySelector("disco-reference-view").shown')).toEqual({ token: a.reference!.token, shape: 'superpixel', confidence: a.reference!.confidence });
    const caption = await page.textContent('disco-reference-view .ref-caption');
    expect(caption).toContain(`From reference superpixel ${a.reference!.token}`);
    expect(caption).toContain(`confidence ${a.reference!.confidence.toFixed(2)}`);
    // What the region canvas shows: clear pixels exactly on the matched token (the labels the viewer
    // holds), dimmed elsewhere, and the token lies where the match's box says (within a cell), both
    // in the reference photo's coordinates (the labels' content frame is the photo).
    const content = Math.round((SIZE * 300) / 451);
    expect(await editor('return app.viewer.el.referenceLabels.content')).toEqual({ width: SIZE, height: content });
    const region = await editor<{ clear: number; dim: number; wrong: number; cx: number; cy: number }>(`
      const c = document.querySelector('disco-reference-view .ref-region'); const m = app.viewer.el.referenceLabels;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let clear = 0, dim = 0, wrong = 0, sx = 0, sy = 0;
      for (let p = 0; p < m.W * m.H; p++) {
        const on = m.labels[p] === arg, alpha = d[4 * p + 3];
        if (alpha === 160) dim++; else clear++;
        if (on === (alpha === 160)) wrong++;
        if (on) { sx += (p % m.W + 0.5) / m.content.width; sy += (Math.floor(p / m.W) + 0.5) / m.content.height; }
      }
      const n = m.labels.filter((l) => l === arg).length;
      return { clear, dim, wrong, cx: sx / n, cy: sy / n };`, a.reference!.token);
    expect(region.wrong).toBe(0);
    expect(region.clear).toBeGreaterThan(0);
    expect(region.dim).toBeGreaterThan(region.clear);
    const [x0, y0, x1, y1] = a.reference!.box;
    const cellW = x1 - x0, cellH = y1 - y0;
    expect(region.cx).toBeGreaterThan(x0 - cellW);
    expect(region.cx).toBeLessThan(x1 + cellW);
    expect(region.cy).toBeGreaterThan(y0 - cellH);
    expect(region.cy).toBeLessThan(y1 + cellH);
    // On screen the labels' frame overhangs the photo by the padding (clipped by the view).
    const [img, over] = [await page.locator('disco-reference-view .ref-img').boundingBox(), await page.locator('disco-reference-view .ref-region').boundingBox()];
    expect(over!.height / img!.height).toBeCloseTo(SIZE / content, 1);
    expect(over!.width / img!.width).toBeCloseTo(1, 2);
    await page.screenshot({ path: join(SHOTS, 'reference-hover.png') });

    // Its popover says where the colour came from; a picked colour overrides it: a user anchor.
    await page.mouse.click(at.x, at.y);
    await page.locator('disco-anchor-popover').waitFor();
    expect(await page.textContent('disco-anchor-popover .popover-source')).toContain(`From reference (confidence ${a.reference!.confidence.toFixed(2)})`);
    await page.screenshot({ path: join(SHOTS, 'reference-popover.png') });
    runs = await runsDone(h);
    await page.locator('disco-anchor-popover input.anchor-color').fill('#1f9e3a');
    await nextRun(h, runs);
    const list = await editor<{ x: number; y: number; ab?: number[] }[]>('return app.viewer.userNode().params().anchors');
    expect(list).toEqual([{ x: a.x, y: a.y, ab: hexToAb('#1f9e3a') }]);
    await expect.poll(async () => (await viewAnchors()).find((v) => v.cell === a.cell)).toMatchObject({ source: 'user', colourBy: 'user' });
    expect((await viewAnchors()).find((v) => v.cell === a.cell)!.reference).toBeUndefined();
    // What the run used: Anchor Colors hands on the user's green in that token, not the reference colour.
    const used = await editor<{ source: string; ab: number[] }>(`
      const id = app.view.graph._nodes.find((n) => n.type === 'disco/anchor-colors').id;
      return app.engine.inspect({ kind: 'anchors', nodeId: String(id) }).then((r) => r.value.anchors.find((x) => x.cell === arg));`, a.cell);
    expect(used.source).toBe('user');
    expect(used.ab[0]).toBeCloseTo(hexToAb('#1f9e3a')[0], 3);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('disco-anchor-popover').count()).toBe(0);
    await page.mouse.move(at.x + 40, at.y + 40);
    await page.mouse.move(at.x, at.y, { steps: 4 });
    await expect.poll(() => page.textContent('disco-reference-view .ref-caption')).toMatch(/Your colour/);
    expect(await editor('return document.querySelector("disco-reference-view").shown')).toBeUndefined();
    await page.screenshot({ path: join(SHOTS, 'reference-overridden.png') });

    await page.waitForTimeout(300); // late updates (the rerun's viewer refresh) report
    expect(ourWarnings(h.warnings), 'console warnings').toEqual([]);
    expect(h.errors).toEqual([]);
  }, 900_000);
});
