/**
 * The editor end to end in headless Chromium: add nodes from the palette, connect two by dragging,
 * load a photo through the file chooser, run with Ctrl+Enter, see states reach done and a thumbnail,
 * undo, save (the download is a workflow the CLI's loader reads), reload and find the graph restored.
 * Screenshots go to test-results/screenshots/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileChooser, Page } from 'playwright-core';
import { allNodes } from '../../src/nodes/index.ts';
import { NodeRegistry } from '../../src/runtime/engine/registry.ts';
import { loadWorkflow, toExecGraph } from '../../src/runtime/workflow/index.ts';
import { inEditor, SHOTS, slotScreenPos, startHarness, waitForEditor, widgetScreenPos, type Harness } from './harness.ts';

const CHAIN = ['disco/load-image', 'disco/rgb-to-lab', 'disco/lab-to-rgb', 'disco/preview-image'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ plugins: process.env.DISCO_TEST_NODES ? [swapNodes(process.env.DISCO_TEST_NODES)] : [] });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

/** Dev aid: serve another module in place of src/nodes/index.ts (the test's node registry follows). */
function swapNodes(file: string) {
  return { name: 'swap-nodes', enforce: 'pre' as const, resolveId: (id: string) => (id.endsWith('/nodes/index.ts') ? file : undefined) };
}
const nodesModule = process.env.DISCO_TEST_NODES ? await import(process.env.DISCO_TEST_NODES) : { allNodes };

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);

/**
 * File choosers the page opens, in order. Playwright turns Chromium's file-chooser interception on
 * when the first 'filechooser' listener is added and does not wait for that to take effect, so a
 * `waitForEvent('filechooser')` just before a click races it: on a loaded 2-core machine the page
 * called input.click() (with user activation) and no event came, twice in a row, since the listener
 * (and interception) ends with each wait. One standing listener, added long before the click, has
 * interception on when it matters.
 */
function watchFileChoosers(page: Page): () => Promise<FileChooser> {
  const opened: FileChooser[] = [];
  const waiting: ((c: FileChooser) => void)[] = [];
  page.on('filechooser', (c) => (waiting.length ? waiting.shift()!(c) : opened.push(c)));
  return () => (opened.length ? Promise.resolve(opened.shift()!) : new Promise((resolve) => waiting.push(resolve)));
}

/** Clicks node `id`'s "choose photo…" button on the canvas; fails naming what was under the pointer if no chooser opens. */
async function chooserFromButton(page: Page, nextChooser: () => Promise<FileChooser>, id: number): Promise<FileChooser> {
  const btn = await widgetScreenPos(page, id, 'choose photo…');
  const chooser = nextChooser();
  await page.mouse.click(btn.x, btn.y);
  let timer: NodeJS.Timeout | undefined;
  const got = await Promise.race([chooser, new Promise<null>((resolve) => (timer = setTimeout(resolve, 30_000, null)))]);
  clearTimeout(timer);
  if (got) return got;
  const under = await page.evaluate(([x, y]) => { const e = document.elementFromPoint(x, y); return e ? `${e.tagName}#${e.id}.${e.className}` : 'nothing'; }, [btn.x, btn.y] as const);
  throw new Error(`"choose photo…" at (${btn.x}, ${btn.y}) opened no file chooser in 30 s; under the pointer: ${under}`);
}

describe('editor in Chromium', () => {
  it('builds, runs, undoes, saves and restores a graph', async () => {
    const registry = new NodeRegistry(nodesModule.allNodes);
    const missing = CHAIN.filter((id) => !registry.has(id));
    expect(missing, `node types the test needs are not registered: ${missing.join(', ')}`).toEqual([]);
    const { page } = h;
    const nextChooser = watchFileChoosers(page);

    await page.goto(`${h.url}?example=none`);
    await waitForEditor(page, h.errors);
    await page.waitForFunction(() => !/starting/.test(document.getElementById('backend')!.textContent!));
    expect(await page.textContent('#backend')).toMatch(/WebGPU|CPU/);

    // Add the chain from the palette, then lay it out left to right.
    for (const id of CHAIN) await page.click(`.palette-item[data-type="${id}"]`);
    const ids = await editor<number[]>(`
      const nodes = app.view.graph._nodes;
      nodes.forEach((n, i) => { n.pos = [40 + i * 250, 60 + (i % 2) * 40]; });
      app.view.canvas.ds.offset = [0, 0]; app.view.canvas.ds.scale = 0.85; app.view.redraw();
      return nodes.map((n) => n.id);`);
    expect(ids).toHaveLength(CHAIN.length);

    // An incompatible drop (IMAGE onto lab-to-rgb's LAB input) is refused with a toast.
    const out0 = await slotScreenPos(page, ids[0], 'output', 0);
    const badIn = await slotScreenPos(page, ids[2], 'input', 0);
    await page.mouse.move(out0.x, out0.y);
    await page.mouse.down();
    await page.mouse.move(badIn.x, badIn.y, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.locator('.toast.error').count(), { message: 'a refused connection shows a toast' }).toBeGreaterThan(0);
    expect(await editor<number>('return app.view.graph.links.size')).toBe(0);

    // Connect load-image → rgb-to-lab by dragging with the mouse.
    const in1 = await slotScreenPos(page, ids[1], 'input', 0);
    await page.mouse.move(out0.x, out0.y);
    await page.mouse.down();
    await page.mouse.move(in1.x, in1.y, { steps: 8 });
    await page.mouse.up();
    expect(await editor<number>('return app.view.graph.links.size')).toBe(1);
    // The rest programmatically.
    await editor(`const g = app.view.graph; const [a, b, c, d] = arg.map((id) => g.getNodeById(id));
      b.connect(0, c, 0); c.connect(0, d, 0); app.tracker.check();`, ids);
    expect(await editor<number>('return app.view.graph.links.size')).toBe(3);

    // A small photo through the node's file picker.
    const photo = await sharp({ create: { width: 48, height: 32, channels: 3, background: { r: 200, g: 120, b: 40 } } }).png().toBuffer();
    const chooser = await chooserFromButton(page, nextChooser, ids[0]);
    await chooser.setFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo });
    await page.waitForFunction((id) => !!(window as any).discoEditor.view.graph.getNodeById(id).params().image, ids[0]);

    // Run with Ctrl+Enter; every node reaches done and the preview node gets a thumbnail.
    await page.locator('#graph-canvas').focus();
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction((all) => all.every((id: number) => ['done', 'cached'].includes((window as any).discoEditor.status.get(id)?.state)), ids, { timeout: 60_000 });
    await page.waitForFunction((id) => !!(window as any).discoEditor.status.get(id)?.thumb, ids[3]);
    const thumb = await editor<{ w: number; h: number }>('const t = app.status.get(arg).thumb; return { w: t.width, h: t.height }', ids[3]);
    expect(thumb).toEqual({ w: 48, h: 32 });
    await expect.poll(() => page.textContent('#run-status')).toMatch(/^Done/);
    await page.screenshot({ path: join(SHOTS, 'editor-after-run.png') });

    // Undo removes a node added afterwards, and keeps the previews.
    await page.click(`.palette-item[data-type="${CHAIN[1]}"]`);
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(CHAIN.length + 1);
    await page.keyboard.press('Control+z');
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(CHAIN.length);
    expect(await editor<boolean>('return !!app.status.get(arg).thumb', ids[3])).toBe(true);

    // Save: the download is a workflow the runtime's loader reads, with params by name.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Save')]);
    const text = await readFile((await download.path())!, 'utf8');
    const { workflow } = loadWorkflow(text, { registry });
    const exec = toExecGraph(workflow, registry);
    expect(exec.missingTypes).toEqual([]);
    expect(Object.keys(exec.graph)).toHaveLength(CHAIN.length);
    expect(exec.graph[String(ids[3])].inputs).toMatchObject({ [Object.keys(registry.get(CHAIN[3])!.inputs)[0]]: [String(ids[2]), 0] });
    expect(typeof exec.graph[String(ids[0])].inputs.image).toBe('string');

    // Reload: the autosaved graph (and the photo) come back.
    await page.waitForTimeout(400); // autosave is debounced by 250 ms
    await page.reload();
    await waitForEditor(page, h.errors);
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(CHAIN.length);
    expect(await editor<number>('return app.view.graph.links.size')).toBe(3);
    await page.waitForFunction((id) => !!(window as any).discoEditor.status.get(id)?.thumb, ids[0]);
    await page.screenshot({ path: join(SHOTS, 'editor-restored.png') });

    expect(h.errors).toEqual([]);
  }, 120_000);
});
