/**
 * The viewer's overlays and pointer with Keep Aspect (issue 16): the working image is the photo fitted
 * into a square and padded below, so everything the viewer draws from the association map, and every
 * click, goes through the photo's content frame. disco-auto on `?backend=cpu` at a small working size
 * with the 451 x 300 example photo: the superpixel boundaries are the labels of the photo's part of
 * the map, a click on a photo point adds a user anchor in the token under that point (what the
 * worker's User Anchors says) and its ring is drawn where the click was, a brush stroke along a token
 * row of the photo makes anchors in that row; with Keep Aspect off again
 * the same stored x, y is the same photo point. Screenshots go to test-results/screenshots/.
 * Skipped when the model set is not in the working tree.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inEditor, nextRun, nodeIdOfType, ROOT, runsDone, SHOTS, useHarness, waitForEditor, type Harness } from './harness.ts';

const HAVE_MODELS = existsSync(join(ROOT, 'models/disco-lite/manifest.json'));
/** Working size (the workflow says 256; the models on WASM are slow on 2 cores). 8 x 8 tokens of 16 px. */
const SIZE = 128;
/** 451 x 300 fitted into 128 x 128. */
const CONTENT_H = Math.round((SIZE * 300) / 451);

let h: Harness;
useHarness((started) => (h = started), { start: HAVE_MODELS });

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);

async function run(): Promise<void> {
  const before = await runsDone(h);
  await h.page.click('#run-button');
  await nextRun(h, before);
  const states = await editor<string[]>('return app.view.graph._nodes.map((n) => app.status.get(n.id)?.state)');
  expect(states.every((s) => s === 'done' || s === 'cached'), JSON.stringify(states)).toBe(true);
}

/** The worker's User Anchors output: where the run filed each user anchor. */
const userAnchorsRun = (id: number) =>
  editor<{ cell: number; x: number; y: number }[]>(`return app.engine.inspect({ kind: 'anchors', nodeId: String(arg) }).then((r) => r.value.anchors)`, id);

/** The user anchor markers on the fabric layer, in layer (= frame) pixels. */
const userMarkers = () =>
  editor<{ left: number; top: number }[]>(`return app.viewer.el.layer.canvas.getObjects().filter((o) => o.anchor?.source === 'user').map((o) => ({ left: o.left, top: o.top }))`);

describe.skipIf(!HAVE_MODELS)('viewer overlays and clicks with Keep Aspect', () => {
  it('draws on the photo, not the padded working image, and files a click in the token under it', async () => {
    const { page } = h;
    await page.goto(`${h.url}?example=none&backend=cpu`);
    await waitForEditor(page, h.errors);
    await page.waitForFunction(() => /^CPU/.test(document.getElementById('backend')!.textContent!));
    await editor(`window.__runs = 0; app.onRunFinished = () => { window.__runs++; };`);
    await page.selectOption('#examples-menu', 'disco-auto');
    await page.waitForFunction(() => {
      const n = (window as any).discoEditor.view.graph._nodes.find((x: any) => x.type === 'disco/load-image');
      return n && /^[0-9a-f]{64}$/.test(n.params().image);
    });
    const resize = await nodeIdOfType(h, 'disco/resize-to-working');
    const userId = await nodeIdOfType(h, 'disco/user-anchors');
    await editor(`const n = app.view.graph.getNodeById(arg[0]); n.setParam('size', arg[1]); n.setParam('keepAspect', true);`, [resize, SIZE]);
    await run();

    // The map covers the padded square; the viewer knows the photo's part of it (fetched after the run).
    const affinity = () => editor<unknown>('const a = app.viewer.el.affinity; return a && { W: a.W, H: a.H, content: a.content }');
    await expect.poll(affinity, { timeout: 30_000 }).toEqual({ W: SIZE, H: SIZE, content: { width: SIZE, height: CONTENT_H } });

    // Superpixel boundaries: the raster is the photo's part of the labels, stretched over the photo only.
    await page.locator('input[data-toggle="boundaries"]').check();
    const raster = await editor<{ w: number; h: number; wrong: number; drawn: number }>(`
      const c = document.querySelector('disco-viewer canvas.raster'), a = app.viewer.el.affinity;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let wrong = 0, drawn = 0;
      for (let y = 0; y < c.height; y++) for (let x = 0; x < c.width; x++) {
        const p = y * a.W + x, l = a.labels[p];
        const edge = (x + 1 < a.W && a.labels[p + 1] !== l) || (y + 1 < a.H && a.labels[p + a.W] !== l);
        const on = d[4 * (y * c.width + x) + 3] > 0;
        if (on) drawn++;
        if (on !== edge) wrong++;
      }
      return { w: c.width, h: c.height, wrong, drawn };`);
    expect(raster).toMatchObject({ w: SIZE, h: CONTENT_H, wrong: 0 });
    expect(raster.drawn).toBeGreaterThan(SIZE);
    const [frame, rasterBox] = [(await page.locator('.viewer-frame').boundingBox())!, (await page.locator('disco-viewer canvas.raster').boundingBox())!];
    expect(rasterBox.height).toBeCloseTo(frame.height, 0);
    expect(rasterBox.y).toBeCloseTo(frame.y, 0);

    // A photo point away from every marker whose token (the superpixel under it) is its own grid cell,
    // so the click is kept as it is; in the padded grid it lies in another row than at the same share of the square.
    await expect.poll(() => editor<number>('return app.viewer.el.anchors.length'), { timeout: 30_000 }).toBeGreaterThan(0);
    const anchors = await editor<{ x: number; y: number }[]>('return app.viewer.el.anchors.map((a) => ({ x: a.x, y: a.y }))');
    const pick = await editor<{ x: number; y: number; label: number } | undefined>(`
      const a = app.viewer.el.affinity, g = SIZE_G;
      for (let j = 1; j < 10; j++) for (let i = 1; i < 10; i++) {
        const x = i / 10 + 0.013, y = j / 10 + 0.017;
        const px = Math.floor(x * a.W), py = Math.floor(y * a.content.height), label = a.labels[py * a.W + px];
        const cell = Math.floor(py / a.cell) * g + Math.floor(px / a.cell);
        const squareCell = Math.floor((y * a.H) / a.cell) * g + Math.floor(px / a.cell);
        const far = arg.every((m) => Math.hypot((m.x - x) * 1.5, m.y - y) > 0.12);
        if (label === cell && squareCell !== cell && far) return { x, y, label };
      }`.replace('SIZE_G', String(SIZE / 16)), anchors);
    expect(pick, 'a free photo point whose superpixel is its own cell').toBeDefined();
    const at = { x: frame.x + pick!.x * frame.width, y: frame.y + pick!.y * frame.height };

    // The 9-way numbers and the hover swatches follow the pointer on the photo.
    await page.locator('input[data-toggle="assoc"]').check();
    await page.mouse.move(at.x - 20, at.y - 20);
    await page.mouse.move(at.x, at.y, { steps: 3 });
    await expect.poll(() => page.locator('.hover-tip .hover-title').textContent()).toBe(`superpixel ${pick!.label}: top-10 colours`);
    const nums = await page.locator('.assoc-num').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; }));
    expect(nums.length).toBeGreaterThanOrEqual(4);
    const col = Math.floor((pick!.x * SIZE) / 16), row = Math.floor((pick!.y * CONTENT_H) / 16);
    // The middle number sits at the hovered cell's centre on the photo.
    const mid = { x: frame.x + (((col + 0.5) * 16) / SIZE) * frame.width, y: frame.y + (((row + 0.5) * 16) / CONTENT_H) * frame.height };
    expect(nums.some((n) => Math.hypot(n.x - mid.x, n.y - mid.y) < 2), JSON.stringify({ nums, mid })).toBe(true);
    for (const n of nums) expect(n.y).toBeLessThan(frame.y + frame.height);
    await page.screenshot({ path: join(SHOTS, 'keep-aspect-on-hover.png') });

    // A click there: the popover opens on the new anchor; the run files it in the token under the point.
    await page.locator('input[data-toggle="assoc"]').uncheck();
    const before = await runsDone(h);
    await page.mouse.click(at.x, at.y);
    await page.locator('disco-anchor-popover').waitFor();
    await nextRun(h, before);
    const list = await editor<{ x: number; y: number }[]>('return app.viewer.userNode().params().anchors');
    expect(list).toEqual([{ x: expect.closeTo(pick!.x, 2), y: expect.closeTo(pick!.y, 2) }]);
    const filed = await userAnchorsRun(userId);
    expect(filed.map((a) => a.cell)).toEqual([pick!.label]);
    const markers = await userMarkers();
    // (the stroke below adds more user anchors; until then this is the only one)
    expect(markers).toHaveLength(1);
    expect(Math.abs(frame.x + markers[0].left - at.x)).toBeLessThan(2);
    expect(Math.abs(frame.y + markers[0].top - at.y)).toBeLessThan(2);
    await page.keyboard.press('Escape');

    // A brush stroke along one token row of the photo (two rows away from the click): its anchors land in that row.
    const brushRow = row >= 3 ? 1 : 4;
    const by = frame.y + (((brushRow + 0.5) * 16) / CONTENT_H) * frame.height;
    await page.locator('input[data-toggle="brush"]').check();
    await page.locator('input.brush-size').fill('60');
    await page.mouse.move(frame.x + 0.1 * frame.width, by);
    await page.mouse.down();
    for (let i = 1; i <= 16; i++) await page.mouse.move(frame.x + (0.1 + (0.8 * i) / 16) * frame.width, by);
    const painted = await runsDone(h);
    await page.mouse.up();
    await nextRun(h, painted);
    const brushed = (await userAnchorsRun(userId)).filter((a) => a.cell !== pick!.label);
    const rows = brushed.map((a) => Math.floor(a.cell / 8));
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => Math.abs(r - brushRow) <= 1), JSON.stringify({ brushRow, rows })).toBe(true);
    expect(rows.filter((r) => r === brushRow).length * 2, JSON.stringify({ brushRow, rows })).toBeGreaterThan(rows.length);
    await page.locator('input[data-toggle="brush"]').uncheck();
    await page.mouse.move(frame.x - 5, frame.y - 5);
    await page.screenshot({ path: join(SHOTS, 'keep-aspect-on.png') });

    // Keep Aspect off: the same stored point is the same photo point, now on the stretched square's grid.
    await editor(`app.view.graph.getNodeById(arg).setParam('keepAspect', false)`, resize);
    await run();
    await expect.poll(affinity, { timeout: 30_000 }).toEqual({ W: SIZE, H: SIZE, content: { width: SIZE, height: SIZE } });
    const clicked = (await userAnchorsRun(userId)).find((a) => Math.abs(a.x - pick!.x) < 0.01 && Math.abs(a.y - pick!.y) < 0.01);
    expect(clicked?.cell).toBe(Math.floor(pick!.y * 8) * 8 + Math.floor(pick!.x * 8));
    const frame2 = (await page.locator('.viewer-frame').boundingBox())!;
    const near = (await userMarkers()).filter((m) => Math.hypot(m.left - pick!.x * frame2.width, m.top - pick!.y * frame2.height) < 2);
    expect(near).toHaveLength(1);
    await expect.poll(() => editor<number>('return document.querySelector("disco-viewer canvas.raster").height')).toBe(SIZE);
    await page.screenshot({ path: join(SHOTS, 'keep-aspect-off.png') });
    expect(h.errors).toEqual([]);
  }, 900_000);
});
