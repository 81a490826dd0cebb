/**
 * Anchor editing end to end in headless Chromium: open the user-guided example (training-free, no
 * models), drop a photo, run, see colour; the viewer shows the result with anchors; recolouring an
 * anchor re-runs only what is downstream of User Anchors; move, undo, brush; reopening the page restores the
 * anchors and runs them by itself; the exported PNG carries the workflow and reopens it when dropped.
 * Screenshots go to test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hexToAb } from '../../src/nodes/anchors/user-anchors.ts';
import { allNodes } from '../../src/nodes/index.ts';
import { NodeRegistry } from '../../src/runtime/engine/registry.ts';
import { buildWorkflow } from '../../src/runtime/workflow/build.ts';
import { serializeWorkflow } from '../../src/runtime/workflow/load.ts';
import { loadWorkflowFromPng } from '../../src/runtime/workflow/png-chunks.ts';
import { inEditor, meanChroma, ourWarnings, ROOT, runsDone, SHOTS, useHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
useHarness((started) => (h = started));

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);

/** Counts finished runs in the page, so a test can wait for the next one. */
async function nextRun(before: number): Promise<void> {
  await h.page.waitForFunction((n) => ((window as any).__runs ?? 0) > n, before, { timeout: 90_000 });
}

/** Drops a file on the graph canvas (as a user dragging it from the desktop). */
async function dropFile(page: Page, bytes: Buffer, name: string, type: string): Promise<void> {
  await page.evaluate(([b64, n, t]) => {
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bin], n, { type: t }));
    const el = document.getElementById('graph-canvas')!;
    const r = el.getBoundingClientRect();
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, clientX: r.left + r.width - 20, clientY: r.top + r.height - 20 }));
  }, [bytes.toString('base64'), name, type] as const);
}

/** Page position of a normalised point on the viewer's image. */
async function viewerPoint(x: number, y: number): Promise<{ x: number; y: number }> {
  const r = (await h.page.locator('.viewer-frame').boundingBox())!;
  return { x: r.x + x * r.width, y: r.y + y * r.height };
}

const userAnchorsParam = () => editor<any[]>(`return app.viewer.userNode().params().anchors`);
const states = () => editor<Record<string, string>>(`const o = {}; for (const n of app.view.graph._nodes) o[n.id] = app.status.get(n.id)?.state; return o;`);

const chroma = (nodeId: string): Promise<number> => meanChroma(h, nodeId);

describe('anchor editing in Chromium', () => {
  it('runs the user-guided workflow, edits anchors in the viewer, undoes, reloads and round-trips a PNG', async () => {
    const { page } = h;
    const registry = new NodeRegistry(allNodes);
    await page.goto(`${h.url}?example=none`);
    await waitForEditor(page, h.errors);
    await editor(`window.__runs = 0; app.onRunFinished = () => { window.__runs++; };`);

    // The example workflow from the menu, then our own photo dropped onto its Load Image node.
    await page.selectOption('#examples-menu', 'user-guided');
    await expect.poll(() => editor<number>('return app.view.graph._nodes.length'), { timeout: 30_000 }).toBe(11);
    const photo = await readFile(join(ROOT, 'examples', 'chelsea-gray.png'));
    await dropFile(page, photo, 'cat.png', 'image/png');
    await page.waitForFunction(() => /^[0-9a-f]{64}$/.test((window as any).discoEditor.view.graph.getNodeById(1).params().image));
    expect(await editor<number>('return app.view.graph._nodes.length'), 'the photo went into the existing Load Image node').toBe(11);

    // Run: the result has colour, and the viewer shows it with the eight example anchors.
    let runs = await runsDone(h);
    await page.click('#run-button');
    await nextRun(runs);
    expect(Object.values(await states()).every((s) => s === 'done'), JSON.stringify(await states())).toBe(true);
    expect(await chroma('11')).toBeGreaterThan(2);
    await expect.poll(() => editor<number>('return app.viewer.el.anchors.length')).toBe(8);
    await page.locator('.viewer-frame').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(SHOTS, 'anchors-after-run.png') });

    // A click on a node's thumbnail shows its image in the viewer.
    const thumb = await editor<{ x: number; y: number }>(`
      const n = app.view.graph.getNodeById(2); const { offset, scale } = app.view.canvas.ds; const r = app.view.el.getBoundingClientRect();
      return { x: r.left + (n.pos[0] + n.size[0] / 2 + offset[0]) * scale, y: r.top + (n.pos[1] + n.size[1] - 40 + offset[1]) * scale };`);
    await page.mouse.click(thumb.x, thumb.y);
    await expect.poll(() => page.textContent('.viewer-title')).toBe('Gray from Photo #2');

    // Viewer slots: Shift+digit binds the selected node, the digit shows it again.
    await editor('app.view.canvas.selectNode(app.view.graph.getNodeById(1))');
    await page.locator('#graph-canvas').focus();
    await page.keyboard.press('Shift+Digit1');
    await expect.poll(() => page.textContent('.viewer-title')).toBe('Load Image #1');
    await editor('app.view.canvas.selectNode(app.view.graph.getNodeById(11))');
    await page.keyboard.press('Shift+Digit2');
    await expect.poll(() => page.textContent('.viewer-title')).toBe('Save Image #11');
    await page.keyboard.press('Digit1');
    await expect.poll(() => page.textContent('.viewer-title')).toBe('Load Image #1');
    await page.keyboard.press('Digit2');
    await expect.poll(() => page.textContent('.viewer-title')).toBe('Save Image #11');
    await page.click('input[data-toggle="split"]');
    await page.locator('.split-slider').waitFor();
    await page.screenshot({ path: join(SHOTS, 'anchors-split.png') });
    await page.click('input[data-toggle="split"]');

    // Overlays: boundaries, clusters (none here: no locator) and the 9-way association under the cursor.
    await page.click('input[data-toggle="boundaries"]');
    await page.click('input[data-toggle="assoc"]');
    const mid = await viewerPoint(0.45, 0.5);
    await page.mouse.move(mid.x, mid.y);
    await expect.poll(() => page.locator('.assoc-num').count()).toBe(9);
    const sum = await page.locator('.assoc-num').evaluateAll((els) => els.reduce((a, e) => a + Number(e.textContent), 0));
    expect(sum).toBeGreaterThan(0.9);
    expect(sum).toBeLessThan(1.1);
    await page.screenshot({ path: join(SHOTS, 'anchors-overlays.png') });
    await page.click('input[data-toggle="assoc"]');

    // Recolour anchor 0 through its popover: only User Anchors and what is downstream run again.
    // The picked colour is stored as Lab ab, and the gesture checks history once.
    const before = await userAnchorsParam();
    const a0 = await viewerPoint(before[0].x, before[0].y);
    await page.mouse.click(a0.x, a0.y);
    await page.locator('disco-anchor-popover').waitFor();
    await page.screenshot({ path: join(SHOTS, 'anchors-popover.png') });
    runs = await runsDone(h);
    await editor('window.__checks = 0; const check = app.tracker.check.bind(app.tracker); app.tracker.check = () => { window.__checks++; return check(); };');
    await editor(`window.__drawn = 0; window.__imageAsks = [];
      app.viewer.el.addEventListener('image-drawn', () => window.__drawn++, { once: true });
      const ask = app.engine.inspect.bind(app.engine);
      app.engine.inspect = (q) => { if (q.kind === 'image' && q.nodeId === '11') window.__imageAsks.push(q.nodeId); return ask(q); };`);
    await page.locator('disco-anchor-popover input.anchor-color').fill('#2a9d3a');
    await nextRun(runs);
    expect(await editor<number>('return window.__checks')).toBe(1);
    const after = await userAnchorsParam();
    const { color: _color, ab: _ab, ...place } = before[0];
    expect(after[0]).toEqual({ ...place, ab: hexToAb('#2a9d3a') });
    expect(after.slice(1)).toEqual(before.slice(1));
    const s = await states();
    expect([s[1], s[2], s[3], s[4], s[5], s[6], s[7]]).toEqual(Array(7).fill('cached'));
    expect([s[8], s[9], s[10], s[11]]).toEqual(Array(4).fill('done'));
    // The new result came with the run: drawn without asking the worker for the image on view.
    await page.waitForFunction(() => (window as any).__drawn > 0);
    expect(await editor<string[]>('return window.__imageAsks'), 'image inspects during the recolour').toEqual([]);
    expect(await editor<boolean>(`const px = (b) => { const c = new OffscreenCanvas(b.width, b.height); const g = c.getContext('2d'); g.drawImage(b, 0, 0); return g.getImageData(0, 0, b.width, b.height).data; };
      const shown = px(app.viewer.el.image);
      return app.engine.inspect({ kind: 'image', nodeId: '11' }).then((r) => { const run = px(r.bitmap); return shown.length === run.length && shown.every((v, i) => v === run[i]); });`),
    'the viewer shows the rerun\'s result').toBe(true);
    await page.keyboard.press('Escape');

    // Move anchor 1 by dragging it; one undo brings it back.
    const a1 = await viewerPoint(after[1].x, after[1].y);
    const to = await viewerPoint(0.2, 0.15);
    runs = await runsDone(h);
    await page.mouse.move(a1.x, a1.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 10 });
    await page.mouse.up();
    await nextRun(runs);
    const moved = await userAnchorsParam();
    expect(moved[1].x).toBeCloseTo(0.2, 1);
    expect(moved[1].y).toBeCloseTo(0.15, 1);
    await page.keyboard.press('Escape');
    await page.locator('#graph-canvas').focus();
    await page.keyboard.press('Control+z');
    expect(await userAnchorsParam()).toEqual(after);
    await expect.poll(() => editor<number>('return app.viewer.el.anchors.find((a) => a.id === "u1").x')).toBeCloseTo(after[1].x, 5);

    // A brush stroke across the photo's top rows adds anchors in the stroke's colour, as one undo step.
    await page.click('input[data-toggle="brush"]');
    const p0 = await viewerPoint(0.05, 0.05), p1 = await viewerPoint(0.6, 0.05);
    await page.mouse.move(p0.x, p0.y);
    await page.mouse.down();
    await page.mouse.move(p1.x, p1.y, { steps: 15 });
    await page.mouse.up();
    await expect.poll(async () => (await userAnchorsParam()).length).toBeGreaterThan(after.length);
    const brushed = await userAnchorsParam();
    expect(brushed.slice(after.length).map((e: any) => e.ab)).toEqual(brushed.slice(after.length).map(() => hexToAb('#e05a2a')));
    await page.click('input[data-toggle="brush"]');
    await page.locator('#graph-canvas').focus();
    await page.keyboard.press('Control+z');
    expect(await userAnchorsParam()).toEqual(after);

    // Delete with the keyboard removes the selected anchor, not the graph's selected node.
    await editor('app.view.canvas.selectNode(app.view.graph.getNodeById(2))');
    await page.locator('#graph-canvas').focus();
    const a2 = await viewerPoint(after[2].x, after[2].y);
    await page.mouse.click(a2.x, a2.y);
    await page.locator('disco-anchor-popover').waitFor();
    await page.keyboard.press('Delete');
    expect(await userAnchorsParam()).toEqual([...after.slice(0, 2), ...after.slice(3)]);
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(11);
    await page.locator('#graph-canvas').focus();
    await page.keyboard.press('Control+z');
    expect(await userAnchorsParam()).toEqual(after);

    // A click on the photo away from the anchors adds one and opens its popover; recolour it there.
    // Undo twice takes both away, redo twice brings them back.
    const free = { x: 0.92, y: 0.92 };
    expect(after.every((e: any) => Math.hypot(e.x - free.x, e.y - free.y) > 0.1)).toBe(true);
    const pf = await viewerPoint(free.x, free.y);
    runs = await runsDone(h);
    await page.mouse.click(pf.x, pf.y);
    await page.locator('disco-anchor-popover').waitFor();
    expect(await page.textContent('disco-anchor-popover .popover-head')).toMatch(/Your anchor/);
    expect(await userAnchorsParam()).toHaveLength(after.length + 1);
    await page.locator('disco-anchor-popover input.anchor-color').fill('#3050e0');
    const added = await userAnchorsParam();
    expect(added.at(-1).ab).toEqual(hexToAb('#3050e0'));
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('disco-anchor-popover').count()).toBe(0);
    await nextRun(runs);
    await page.locator('#graph-canvas').focus();
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    expect(await userAnchorsParam()).toEqual(after);
    await page.keyboard.press('Control+y');
    await page.keyboard.press('Control+y');
    expect(await userAnchorsParam()).toEqual(added);
    await expect.poll(() => editor<number>('return app.viewer.el.anchors.length')).toBe(after.length + 1);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    expect(await userAnchorsParam()).toEqual(after);
    await page.waitForTimeout(300); // let late updates (a rerun's viewer refresh) report
    // Every gesture above (add, recolour in the popover, drag, delete, brush, undo, redo) left the console clean.
    expect(ourWarnings(h.warnings), 'console warnings while editing anchors').toEqual([]);

    // Back on the page as a user opens it (no ?example=none): the autosaved workflow comes back with
    // the edited anchors and runs by itself; its result is on view without a press on Run.
    await page.waitForTimeout(500);
    await page.goto(h.url);
    await waitForEditor(page, h.errors);
    expect(await userAnchorsParam()).toEqual(after);
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(11);
    await page.waitForFunction(() => /^(Done|Finished with errors|Run failed)/.test(document.getElementById('run-status')!.textContent!), null, { timeout: 90_000 });
    expect(await page.textContent('#run-status')).toMatch(/^Done: 11 ran/);
    expect(await chroma('11')).toBeGreaterThan(2);
    await page.locator('.viewer-frame').waitFor({ state: 'visible' });
    await expect.poll(() => page.textContent('.viewer-title')).toBe('Save Image #11');
    await expect.poll(() => editor<number>('return app.viewer.el.anchors.length')).toBe(8);
    await page.screenshot({ path: join(SHOTS, 'anchors-restored.png') });

    // Export PNG: it carries the workflow; dropped on a cleared editor it reopens it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const png = await readFile((await download.path())!);
    const { workflow } = loadWorkflowFromPng(new Uint8Array(png), { registry });
    expect(workflow.nodes.find((n) => n.type === 'disco/user-anchors')!.properties!.params!.anchors).toEqual(after);
    await page.click('text=New');
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(0);
    await dropFile(page, png, 'disco-result.png', 'image/png');
    await expect.poll(() => editor<number>('return app.view.graph._nodes.length'), { timeout: 30_000 }).toBe(11);
    expect(await userAnchorsParam()).toEqual(after);

    expect(ourWarnings(h.warnings)).toEqual([]);
    expect(h.errors).toEqual([]);
  }, 300_000);

  /**
   * Automatic anchors without models: k-means over Lab tokens, colours from the colour photo
   * (Anchor Colors in reference-ab mode), Laplacian propagation. Deleting an automatic anchor writes
   * a `remove` entry; the diverse gallery runs the variants and a pick becomes user anchors.
   */
  it('edits automatic anchors and picks a diverse result', async () => {
    const { page } = h;
    const registry = new NodeRegistry(allNodes);
    const wf = buildWorkflow({
      nodes: [
        { id: 1, type: 'disco/load-image' }, { id: 2, type: 'disco/rgb-to-lab' },
        { id: 3, type: 'disco/resize-to-working', params: { size: 128, keepAspect: false } },
        { id: 4, type: 'disco/slic-affinity', params: { cell: 16, iterations: 3 } }, { id: 5, type: 'disco/lab-tokens' },
        { id: 6, type: 'disco/anchor-locator', params: { k: 6 } }, { id: 7, type: 'disco/user-anchors' },
        { id: 8, type: 'disco/merge-anchors' }, { id: 9, type: 'disco/lab-to-gray' }, { id: 10, type: 'disco/normalize-gray' },
        { id: 11, type: 'disco/normalize-ab' }, { id: 12, type: 'disco/sp-pool' },
        { id: 13, type: 'disco/anchor-colors', params: { mode: 'reference-ab' } },
        { id: 14, type: 'disco/propagate-anchors' }, { id: 15, type: 'disco/recombine' }, { id: 16, type: 'disco/save-image' },
      ],
      links: [
        [1, 'image', 2, 'image'], [2, 'lab', 3, 'lab'], [3, 'lab', 4, 'lab'], [3, 'lab', 5, 'lab'], [4, 'affinity', 5, 'affinity'],
        [5, 'tokens', 6, 'features'], [4, 'affinity', 6, 'affinity'], [5, 'tokens', 7, 'grid'],
        [6, 'anchors', 8, 'auto'], [7, 'anchors', 8, 'user'], [3, 'lab', 9, 'lab'], [9, 'gray', 10, 'gray'], [3, 'lab', 11, 'lab'],
        [10, 'gray_n', 12, 'features'], [4, 'affinity', 12, 'affinity'], [11, 'ab_n', 12, 'ab'],
        [8, 'anchors', 13, 'anchors'], [12, 'tokens', 13, 'tokens'],
        [13, 'anchors', 14, 'anchors'], [5, 'tokens', 14, 'tokens'], [4, 'affinity', 14, 'affinity'],
        [2, 'lab', 15, 'photo'], [9, 'gray', 15, 'working'], [14, 'ab', 15, 'ab'], [15, 'image', 16, 'image'],
      ],
    }, registry);
    await page.goto(`${h.url}?example=none`);
    await waitForEditor(page, h.errors);
    await editor(`window.__runs = 0; app.onRunFinished = () => { window.__runs++; };`);
    await page.click('text=New');
    await dropFile(page, Buffer.from(serializeWorkflow(wf)), 'auto-anchors.json', 'application/json');
    await expect.poll(() => editor<number>('return app.view.graph._nodes.length'), { timeout: 30_000 }).toBe(16);
    await dropFile(page, await readFile(join(ROOT, 'examples', 'chelsea.png')), 'cat.png', 'image/png');
    await page.waitForFunction(() => /^[0-9a-f]{64}$/.test((window as any).discoEditor.view.graph.getNodeById(1).params().image));

    let runs = await runsDone(h);
    await page.click('#run-button');
    await nextRun(runs);
    expect(Object.values(await states()).every((st) => st === 'done'), JSON.stringify(await states())).toBe(true);
    await expect.poll(() => editor<string[]>('return app.viewer.el.anchors.map((a) => a.source)')).toEqual(Array(6).fill('auto'));
    await page.click('input[data-toggle="clusters"]');
    await page.click('input[data-toggle="boundaries"]');
    await page.screenshot({ path: join(SHOTS, 'anchors-auto-clusters.png') });
    await page.click('input[data-toggle="clusters"]');
    await page.click('input[data-toggle="boundaries"]');

    // Delete an automatic anchor: a remove entry; the locator stays cached, the merge drops it.
    const auto0 = (await editor<any[]>('return app.viewer.el.anchors'))[0];
    const at = await viewerPoint(auto0.x, auto0.y);
    await page.mouse.click(at.x, at.y);
    await page.locator('disco-anchor-popover').waitFor();
    runs = await runsDone(h);
    await page.click('disco-anchor-popover button.delete');
    await nextRun(runs);
    expect(await userAnchorsParam()).toEqual([{ x: auto0.x, y: auto0.y, remove: true }]);
    const s = await states();
    expect([s[1], s[4], s[5], s[6]]).toEqual(Array(4).fill('cached'));
    expect([s[7], s[8], s[13], s[14], s[15], s[16]]).toEqual(Array(6).fill('done'));
    expect(await editor<number>(`return app.engine.inspect({ kind: 'anchors', nodeId: '8' }).then((r) => r.value.anchors.length)`)).toBe(5);
    expect(await editor<number>('return app.viewer.el.anchors.length')).toBe(5);

    // Diverse: four runs, a strip of four results; picking one writes its colours as user anchors (one undo step).
    await page.click('button.tool:has-text("Diverse")');
    await expect.poll(() => page.locator('.gallery-item').count(), { timeout: 120_000 }).toBe(4);
    await expect.poll(() => page.textContent('.viewer-note'), { timeout: 60_000 }).toMatch(/Pick a result/);
    await page.screenshot({ path: join(SHOTS, 'anchors-diverse.png') });
    // With Auto-run off, a pick still runs at once, and Export PNG writes what the viewer shows. (Here
    // every variant looks alike: colours come from the photo; disco-auto.test.ts tells them apart.)
    await page.uncheck('#auto-run');
    runs = await runsDone(h);
    await editor('window.__shown = app.viewer.el.image');
    await page.locator('.gallery-item').nth(2).click();
    await nextRun(runs);
    await page.waitForFunction(() => (window as any).discoEditor.viewer.el.image !== (window as any).__shown); // the viewer's refresh follows the run
    await expect.poll(() => page.locator('.gallery-item.picked img').getAttribute('alt')).toBe('variant 2');
    const [exported] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const png = await sharp(await readFile((await exported.path())!)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const shown = await editor<number[]>(`const b = app.viewer.el.image; const c = new OffscreenCanvas(b.width, b.height); const g = c.getContext('2d');
      g.drawImage(b, 0, 0); return [b.width, b.height, ...g.getImageData(0, 0, b.width, b.height).data];`);
    expect([png.info.width, png.info.height]).toEqual(shown.slice(0, 2));
    expect(Buffer.from(shown.slice(2)).equals(png.data), 'Export PNG writes what the viewer shows').toBe(true);
    await page.screenshot({ path: join(SHOTS, 'anchors-diverse-picked.png') });
    await page.check('#auto-run');
    const picked = await userAnchorsParam();
    expect(picked[0]).toEqual({ x: auto0.x, y: auto0.y, remove: true });
    expect(picked).toHaveLength(6);
    expect(picked.slice(1).every((e: any) => Array.isArray(e.ab) && !e.remove)).toBe(true);
    await page.locator('#graph-canvas').focus();
    await page.keyboard.press('Control+z');
    expect(await userAnchorsParam()).toEqual([{ x: auto0.x, y: auto0.y, remove: true }]);

    // Deleting an automatic anchor, the gallery and a pick left the console clean.
    await page.waitForTimeout(300);
    expect(ourWarnings(h.warnings), 'console warnings while editing anchors').toEqual([]);
    expect(h.errors).toEqual([]);
  }, 300_000);
});
