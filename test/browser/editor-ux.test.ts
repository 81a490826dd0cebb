/**
 * The editor as a newcomer meets it (issue 16), on one page: the palette filter hides what does not
 * match; releasing a link on empty canvas offers only node types that take it (no page error); the
 * viewer zooms (wheel, Fit, 100 %) and pans; the anchor popover closes on Esc while its colour input
 * has the focus; hover swatches stay inside the viewer; a click that adds an anchor opens its popover;
 * New and Open forget every node status, preview and the viewer of the previous graph. A failed
 * node's error is drawn over the node below it; Ctrl+B and the node menu bypass a node. The plugin
 * page at 720x860: its layout, and the problems panel with the graph folded.
 * Screenshots go to test-results/screenshots/ (editor-ux-*.png).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { allNodes } from '../../src/nodes/index.ts';
import { inEditor, meanChroma, ROOT, SHOTS, slotScreenPos, useHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
useHarness((started) => (h = started));

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);
const runsDone = () => editor<number>('return window.__runs ?? 0');
const nextRun = (before: number) => h.page.waitForFunction((n) => ((window as any).__runs ?? 0) > n, before, { timeout: 120_000 });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `editor-ux-${name}.png`) });

async function dropFile(page: Page, bytes: Buffer, name: string, type: string): Promise<void> {
  await page.evaluate(([b64, n, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], n, { type: t }));
    const el = document.getElementById('graph-canvas')!;
    const r = el.getBoundingClientRect();
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.right - 20, clientY: r.bottom - 20 }));
  }, [bytes.toString('base64'), name, type] as const);
}

async function viewerPoint(x: number, y: number): Promise<{ x: number; y: number }> {
  const r = (await h.page.locator('.viewer-frame').boundingBox())!;
  return { x: r.x + x * r.width, y: r.y + y * r.height };
}

describe('the editor for a newcomer', () => {
  it('filters the palette, searches on link release, zooms the viewer, edits anchors and forgets old state', async () => {
    const { page } = h;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${h.url}?example=none&backend=cpu`);
    await waitForEditor(page, h.errors);
    await editor(`window.__runs = 0; app.onRunFinished = () => { window.__runs++; };`);

    // Palette filter: only matching items (and their categories) stay visible.
    const total = await page.locator('.palette-item').count();
    await page.fill('.palette-filter', 'anchor');
    const visible = await page.locator('.palette-item:visible').allTextContents();
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.length).toBeLessThan(total);
    expect(visible.every((t) => /anchor/i.test(t))).toBe(true);
    await shot(page, 'palette-filter');
    await page.fill('.palette-filter', '');
    expect(await page.locator('.palette-item:visible').count()).toBe(total);

    // Releasing a link from Load Image's IMAGE output on empty canvas: only types with an IMAGE input.
    await page.click('.palette-item[data-type="disco/load-image"]');
    const id = await editor<number>(`const n = app.view.graph._nodes[0]; n.pos = [60, 80]; app.view.canvas.ds.offset = [0, 0]; app.view.canvas.ds.scale = 1; app.view.redraw(); return n.id;`);
    const out = await slotScreenPos(page, id, 'output', 0);
    await page.mouse.move(out.x, out.y);
    await page.mouse.down();
    await page.mouse.move(out.x + 250, out.y + 150, { steps: 8 });
    await page.mouse.up();
    await page.locator('.litesearchbox').waitFor();
    await expect.poll(() => page.locator('.litesearchbox .lite-search-item').count()).toBeGreaterThan(0);
    const offered = await page.locator('.litesearchbox .lite-search-item').evaluateAll((els) => els.map((e) => unescape((e as HTMLElement).dataset.type!)));
    const takesImage = allNodes.filter((d) => Object.values(d.inputs).some((p) => p.type.name === 'IMAGE')).map((d) => d.id).sort();
    expect(offered.sort()).toEqual(takesImage);
    await page.keyboard.type('rgb');
    await expect.poll(() => page.locator('.litesearchbox .lite-search-item').allTextContents()).toEqual([expect.stringMatching(/RGB to Lab/i)]);
    await shot(page, 'link-search');
    await page.keyboard.press('Enter');
    await expect.poll(() => editor<number>('return app.view.graph.links.size')).toBe(1);
    expect(h.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);

    // The user-guided example (no model), run: the viewer shows the result.
    await page.selectOption('#examples-menu', 'user-guided');
    await expect.poll(() => editor<number>('return app.view.graph._nodes.length')).toBe(11);
    let runs = await runsDone();
    await page.click('#run-button');
    await nextRun(runs);
    await page.locator('.viewer-frame').waitFor({ state: 'visible' });
    await expect.poll(() => editor<number>('return app.viewer.el.anchors.length')).toBe(8);

    // Viewer zoom: the wheel zooms about the cursor, 100 % is one image pixel per pixel, Fit fits, drag pans.
    const fitted = (await page.locator('.viewer-frame').boundingBox())!;
    const stage = (await page.locator('.viewer-stage').boundingBox())!;
    const c = await viewerPoint(0.3, 0.4);
    await page.mouse.move(c.x, c.y);
    await page.mouse.wheel(0, -400);
    await expect.poll(async () => (await page.locator('.viewer-frame').boundingBox())!.width).toBeGreaterThan(fitted.width * 1.5);
    const c2 = await viewerPoint(0.3, 0.4);
    expect(Math.abs(c2.x - c.x) + Math.abs(c2.y - c.y), 'the point under the cursor stays put').toBeLessThan(4);
    await shot(page, 'viewer-zoomed');
    await page.click('button[data-zoom="100"]');
    await expect.poll(async () => Math.round((await page.locator('.viewer-frame').boundingBox())!.width)).toBe(451);
    expect(await page.textContent('.zoom-level')).toBe('100%');
    const before = (await page.locator('.viewer-frame').boundingBox())!;
    // Drag on the background beside the image pans.
    await page.mouse.move(stage.x + 6, stage.y + stage.height - 6);
    await page.mouse.down();
    await page.mouse.move(stage.x + 66, stage.y + stage.height - 36, { steps: 5 });
    await page.mouse.up();
    const panned = (await page.locator('.viewer-frame').boundingBox())!;
    expect(panned.x - before.x).toBeCloseTo(60, 0);
    expect(panned.y - before.y).toBeCloseTo(-30, 0);
    await page.click('button[data-zoom="fit"]');
    await expect.poll(async () => (await page.locator('.viewer-frame').boundingBox())!).toEqual(fitted);

    // Popover: Esc closes it while its colour input has the focus.
    const list = await editor<{ x: number; y: number }[]>('return app.viewer.userNode().params().anchors');
    const a0 = await viewerPoint(list[0].x, list[0].y);
    await page.mouse.click(a0.x, a0.y);
    await page.locator('disco-anchor-popover').waitFor();
    await page.locator('disco-anchor-popover input.anchor-color').focus();
    await page.keyboard.press('Escape');
    await page.locator('disco-anchor-popover').waitFor({ state: 'detached', timeout: 3000 });

    // A click on the photo away from the anchors adds one and opens its popover.
    const n = list.length;
    const empty = await viewerPoint(0.93, 0.9);
    runs = await runsDone();
    await page.mouse.click(empty.x, empty.y);
    await expect.poll(async () => (await editor<unknown[]>('return app.viewer.userNode().params().anchors')).length).toBe(n + 1);
    await page.locator('disco-anchor-popover').waitFor();
    expect(await page.textContent('disco-anchor-popover .popover-head')).toMatch(/Your anchor/);
    await shot(page, 'add-opens-popover');
    await page.keyboard.press('Escape');
    await nextRun(runs);

    // New forgets the previous graph's statuses, previews and the viewer.
    await page.click('text=New');
    await expect.poll(() => editor<number>('return app.view.graph._nodes.length')).toBe(0);
    expect(await editor<number>('return app.status.runProgress().total')).toBe(0);
    expect(await page.locator('.viewer-frame').isVisible()).toBe(false);
    expect(await editor<number>('return app.viewer.el.anchors.length')).toBe(0);
    // A new Load Image (same id 1 as before) shows no old photo or time; opening a workflow likewise.
    await page.click('.palette-item[data-type="disco/load-image"]');
    expect(await editor<unknown>('const s = app.status.get(app.view.graph._nodes[0].id); return s && (s.thumb || s.ms || s.state) ? s : null')).toBeNull();
    await dropFile(page, await readFile(join(ROOT, 'workflows', 'user-guided.json')), 'user-guided.json', 'application/json');
    await expect.poll(() => editor<number>('return app.view.graph._nodes.length')).toBe(11);
    expect(await editor<number>('return app.status.runProgress().total')).toBe(0);
    await shot(page, 'after-open');

    expect(h.errors).toEqual([]);
  }, 300_000);

  it('draws a failed node\'s error over the node below it, wrapped within the node\'s width', async () => {
    const { page } = h;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${h.url}?example=none&backend=cpu`);
    await waitForEditor(page, h.errors);
    await editor(`return app.openExample('user-guided')`);
    await editor(`app.view.graph.getNodeById(1).setParam('image', '${'0'.repeat(64)}')`);
    expect(await editor<any>('return app.run()')).toMatchObject({ ok: false });
    // Gray from Photo right under the failed Load Image, where its error box is drawn; nothing selected
    // (litegraph draws a selected node last).
    const at = await editor<{ box: { x: number; y: number; w: number; h: number }; right: number }>(`
      const [a, b] = [app.view.graph.getNodeById(1), app.view.graph.getNodeById(2)];
      b.pos = [a.pos[0], a.pos[1] + a.size[1] + 30];
      app.view.canvas.ds.scale = 1;
      app.view.canvas.ds.offset = [40 - a.pos[0], 60 - a.pos[1]];
      app.view.canvas.deselectAll();
      app.view.canvas.draw(true, true);
      const ds = app.view.canvas.ds, x = (a.pos[0] + ds.offset[0]) * ds.scale, y = (a.pos[1] + a.size[1] + ds.offset[1]) * ds.scale;
      return { box: { x, y: y + 6, w: a.size[0] * ds.scale, h: 40 }, right: x + a.size[0] * ds.scale };`);
    await page.screenshot({ path: join(SHOTS, 'editor-ux-node-error.png') });
    const px = (x: number, y: number) => editor<number[]>('return [...app.view.el.getContext("2d").getImageData(arg[0], arg[1], 1, 1).data]', [Math.round(x), Math.round(y)]);
    const isErrorRed = ([r, g, b]: number[]) => r > 150 && g < 60 && b < 60;
    // The box's left margin, 30 px down: over Gray from Photo's title bar, and still the error's red.
    expect(isErrorRed(await px(at.box.x + 4, at.box.y + 30))).toBe(true);
    // Nothing of it past the node's right edge.
    expect(isErrorRed(await px(at.right + 6, at.box.y + 30))).toBe(false);
    expect(isErrorRed(await px(at.right - 4, at.box.y + 30))).toBe(true);
    expect(h.errors).toEqual([]);
  }, 120_000);

  it('bypasses a node with Ctrl+B and from its menu: the run hands its input through', async () => {
    const { page } = h;
    await page.goto(`${h.url}?example=none&backend=cpu`);
    await waitForEditor(page, h.errors);
    await editor(`return app.openExample('user-guided')`);
    await dropFile(page, await readFile(join(ROOT, 'examples', 'chelsea.png')), 'cat.png', 'image/png');
    await page.waitForFunction(() => /^(?!0{64}$)[0-9a-f]{64}$/.test((window as any).discoEditor.view.graph.getNodeById(1).params().image));
    const mode = () => editor<number>('return app.view.graph.getNodeById(2).mode');
    expect(await editor<any>('return app.run()')).toMatchObject({ ok: true });
    const photo = await meanChroma(h, '1');
    expect(photo).toBeGreaterThan(2);
    expect(await meanChroma(h, '2'), 'Gray from Photo makes the colour photo gray').toBeLessThan(0.5);

    // Ctrl+B on the selected Gray from Photo: bypassed (one undo step), and the run passes the photo through.
    await editor('app.view.canvas.deselectAll(); app.view.canvas.selectNode(app.view.graph.getNodeById(2))');
    await page.locator('#graph-canvas').focus();
    await page.keyboard.press('Control+b');
    expect(await mode()).toBe(4);
    expect(await editor<any>('return app.run()')).toMatchObject({ ok: true });
    expect(await meanChroma(h, '2')).toBeCloseTo(photo, 6);
    await page.screenshot({ path: join(SHOTS, 'editor-ux-bypass.png') });
    await page.keyboard.press('Control+z');
    expect(await mode()).toBe(0);

    // The node menu's Bypass does the same, and un-bypasses.
    const menu = (label: string) => editor(`const n = app.view.graph.getNodeById(2);
      n.getExtraMenuOptions(app.view.canvas, []).find((o) => o && o.content === arg).callback();`, label);
    await menu('Bypass (Ctrl+B)');
    expect(await mode()).toBe(4);
    await menu('Un-bypass (Ctrl+B)');
    expect(await mode()).toBe(0);
    expect(h.errors).toEqual([]);
  }, 120_000);

  it('lays the plugin page out for a 720x860 host panel: one title bar, the viewer first, the graph folding away', async () => {
    const { page } = h;
    await page.setViewportSize({ width: 720, height: 860 });
    await page.goto(`${h.url}plugin.html?host=file&workflow=user-guided`);
    await expect.poll(() => page.textContent('#plugin-status'), { timeout: 30_000 }).toMatch(/^Workflow: user-guided/);
    const titles = await page.locator(':text-is("Disco Nodes")').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);
    expect(titles, 'one "Disco Nodes" title').toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(720);
    const viewer = (await page.locator('disco-editor #viewer').boundingBox())!;
    const stage = (await page.locator('disco-editor #stage').boundingBox())!;
    expect(viewer.y + viewer.height).toBeLessThanOrEqual(stage.y + 1);
    expect(viewer.height).toBeGreaterThan(300);
    expect(stage.height).toBeGreaterThan(180);
    expect(viewer.width).toBeGreaterThan(700);
    // The fold button is the pane's header, above the canvas: it covers nothing of the graph, and the
    // canvas is all there below it (not cut off at the bottom).
    const toggle = (await page.locator('disco-editor .stage-toggle').boundingBox())!;
    const canvas = (await page.locator('disco-editor #graph-canvas').boundingBox())!;
    expect(toggle.y + toggle.height, 'the "Graph" button covers the graph').toBeLessThanOrEqual(canvas.y + 0.5);
    expect(Math.abs(canvas.y + canvas.height - (stage.y + stage.height))).toBeLessThan(1); // whole pixels
    await page.screenshot({ path: join(SHOTS, 'editor-ux-plugin-720.png') });
    await page.click('.stage-toggle');
    await expect.poll(async () => (await page.locator('disco-editor #stage').boundingBox())!.height).toBeLessThan(40);
    expect((await page.locator('disco-editor #viewer').boundingBox())!.height).toBeGreaterThan(viewer.height + 150);
    await page.screenshot({ path: join(SHOTS, 'editor-ux-plugin-720-folded.png') });

    // A failed run with the graph folded: the problems panel shows over the viewer, in full, and
    // "Show node" unfolds the graph with the failed node selected in view.
    const summary = await page.evaluate(() => {
      const app = (document.querySelector('disco-editor') as any).editor;
      app.view.graph._nodes.find((n: any) => n.type === 'disco/load-image').setParam('image', '0'.repeat(64));
      return app.run();
    });
    expect(summary).toMatchObject({ ok: false });
    const panel = page.locator('disco-editor .problems');
    await panel.waitFor({ state: 'visible' });
    const box = (await panel.boundingBox())!;
    const folded = (await page.locator('disco-editor #viewer').boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(folded.y);
    expect(box.y + box.height).toBeLessThanOrEqual(folded.y + folded.height + 1);
    expect(box.x + box.width).toBeLessThanOrEqual(720);
    expect(await panel.locator('li').allTextContents()).toEqual([expect.stringMatching(/^Load Image #\d+.*not in this browser's storage.*Show node$/)]);
    await page.screenshot({ path: join(SHOTS, 'editor-ux-plugin-720-problems.png') });
    await panel.locator('.problem-show').click();
    await expect.poll(async () => (await page.locator('disco-editor #stage').boundingBox())!.height).toBeGreaterThan(180);
    const shown = await page.evaluate(() => {
      const app = (document.querySelector('disco-editor') as any).editor;
      const node = app.view.graph._nodes.find((n: any) => n.type === 'disco/load-image');
      const { offset, scale } = app.view.canvas.ds;
      const [x, y] = [(node.pos[0] + node.size[0] / 2 + offset[0]) * scale, (node.pos[1] + node.size[1] / 2 + offset[1]) * scale];
      return { selected: [...app.view.canvas.selectedItems].map((n: any) => n.id), id: node.id, centreInView: x > 0 && y > 0 && x < app.view.el.width && y < app.view.el.height };
    });
    expect(shown.selected).toEqual([shown.id]);
    expect(shown.centreInView).toBe(true);
    const stageBox = (await page.locator('disco-editor #stage').boundingBox())!;
    const after = (await panel.boundingBox())!;
    expect(after.y + after.height, 'the panel stays off the graph pane').toBeLessThanOrEqual(stageBox.y + 1);
    await page.screenshot({ path: join(SHOTS, 'editor-ux-plugin-720-show-node.png') });
    expect(h.errors).toEqual([]);
  }, 120_000);
});
