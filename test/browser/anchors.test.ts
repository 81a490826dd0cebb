/**
 * Anchor editing end to end in headless Chromium: open the user-guided example (training-free, no
 * models), drop a photo, run, see colour; the viewer shows the result with anchors; recolouring an
 * anchor re-runs only what is downstream of User Anchors; move, undo, brush; reload restores the
 * anchors; the exported PNG carries the workflow and reopens it when dropped.
 * Screenshots go to test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allNodes } from '../../src/nodes/index.ts';
import { NodeRegistry } from '../../src/runtime/engine/registry.ts';
import { loadWorkflowFromPng } from '../../src/runtime/workflow/png-chunks.ts';
import { ROOT, SHOTS, startHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const editor = <T>(fn: string, arg?: unknown): Promise<T> =>
  h.page.evaluate(([src, a]) => new Function('app', 'arg', src)((window as any).discoEditor, a), [fn, arg] as const) as Promise<T>;

/** Counts finished runs in the page, so a test can wait for the next one. */
const runsDone = () => editor<number>('return window.__runs ?? 0');
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

/** Mean chroma (max - min of R, G, B) of a node's full-size image. */
const chroma = (nodeId: string) => editor<number>(`
  return app.engine.inspect({ kind: 'image', nodeId: arg }).then((r) => {
    const c = new OffscreenCanvas(r.width, r.height); const g = c.getContext('2d'); g.drawImage(r.bitmap, 0, 0);
    const d = g.getImageData(0, 0, r.width, r.height).data; let s = 0;
    for (let i = 0; i < d.length; i += 4) s += Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]);
    return s / (d.length / 4);
  });`, nodeId);

describe('anchor editing in Chromium', () => {
  it('runs the user-guided workflow, edits anchors in the viewer, undoes, reloads and round-trips a PNG', async () => {
    const { page } = h;
    const registry = new NodeRegistry(allNodes);
    await page.goto(h.url);
    await waitForEditor(page, h.errors);
    await editor(`window.__runs = 0; app.onRunFinished = () => { window.__runs++; };`);

    // The example workflow from the menu, then our own photo dropped onto its Load Image node.
    await page.selectOption('#examples-menu', 'user-guided');
    await expect.poll(() => editor<number>('return app.view.graph._nodes.length')).toBe(11);
    const photo = await readFile(join(ROOT, 'examples', 'chelsea-gray.png'));
    await dropFile(page, photo, 'cat.png', 'image/png');
    await page.waitForFunction(() => /^[0-9a-f]{64}$/.test((window as any).discoEditor.view.graph.getNodeById(1).params().image));
    expect(await editor<number>('return app.view.graph._nodes.length'), 'the photo went into the existing Load Image node').toBe(11);

    // Run: the result has colour, and the viewer shows it with the eight example anchors.
    let runs = await runsDone();
    await page.click('#run-button');
    await nextRun(runs);
    expect(Object.values(await states()).every((s) => s === 'done'), JSON.stringify(await states())).toBe(true);
    expect(await chroma('11')).toBeGreaterThan(2);
    await expect.poll(() => editor<number>('return app.viewer.el.anchors.length')).toBe(8);
    await page.locator('.viewer-frame').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(SHOTS, 'anchors-after-run.png') });

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
    const before = await userAnchorsParam();
    const a0 = await viewerPoint(before[0].x, before[0].y);
    await page.mouse.click(a0.x, a0.y);
    await page.locator('disco-anchor-popover').waitFor();
    await page.screenshot({ path: join(SHOTS, 'anchors-popover.png') });
    runs = await runsDone();
    await page.locator('disco-anchor-popover input.anchor-color').fill('#2a9d3a');
    await nextRun(runs);
    const after = await userAnchorsParam();
    expect(after[0]).toEqual({ ...before[0], color: '#2a9d3a' });
    expect(after.slice(1)).toEqual(before.slice(1));
    const s = await states();
    expect([s[1], s[2], s[3], s[4], s[5], s[6], s[7]]).toEqual(Array(7).fill('cached'));
    expect([s[8], s[9], s[10], s[11]]).toEqual(Array(4).fill('done'));
    await page.keyboard.press('Escape');

    // Move anchor 1 by dragging it; one undo brings it back.
    const a1 = await viewerPoint(after[1].x, after[1].y);
    const to = await viewerPoint(0.2, 0.15);
    runs = await runsDone();
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
    expect(brushed.slice(after.length).every((e: any) => e.color === '#e05a2a')).toBe(true);
    await page.click('input[data-toggle="brush"]');
    await page.locator('#graph-canvas').focus();
    await page.keyboard.press('Control+z');
    expect(await userAnchorsParam()).toEqual(after);

    // Reload: the autosaved workflow brings the edited anchors back.
    await page.waitForTimeout(500);
    await page.reload();
    await waitForEditor(page, h.errors);
    expect(await userAnchorsParam()).toEqual(after);
    await expect.poll(() => editor<number>('return app.viewer.el.anchors.length')).toBe(8);
    await editor(`window.__runs = 0; app.onRunFinished = () => { window.__runs++; };`);
    runs = await runsDone();
    await page.click('#run-button');
    await nextRun(runs);
    await page.screenshot({ path: join(SHOTS, 'anchors-restored.png') });

    // Export PNG: it carries the workflow; dropped on a cleared editor it reopens it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const png = await readFile((await download.path())!);
    const { workflow } = loadWorkflowFromPng(new Uint8Array(png), { registry });
    expect(workflow.nodes.find((n) => n.type === 'disco/user-anchors')!.properties!.params!.anchors).toEqual(after);
    await page.click('text=New');
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(0);
    await dropFile(page, png, 'disco-result.png', 'image/png');
    await expect.poll(() => editor<number>('return app.view.graph._nodes.length')).toBe(11);
    expect(await userAnchorsParam()).toEqual(after);

    expect(h.errors).toEqual([]);
  }, 300_000);
});
