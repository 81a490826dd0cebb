/**
 * Bad input dropped on the editor gives a clear message on the right node or in a toast, and never a
 * blank page or a page error: a text file named .png, a damaged PNG, a .json that is not JSON, a
 * workflow from a future formatVersion, and a workflow with an unknown node type (loads, with a
 * placeholder node, naming the missing type). Good photos dropped reach the engine decoded: a Run
 * decodes none of them and uses the one the node names, also when it starts before a dropped photo
 * is stored. Files arrive by a real drop event on the canvas.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inEditor, ROOT, SHOTS, startHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.page.goto(`${h.url}?example=none`);
  await waitForEditor(h.page, h.errors);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);

/** Drops a file on the middle of the graph canvas, as the browser would. */
async function drop(name: string, type: string, bytes: Uint8Array | string): Promise<void> {
  const data = typeof bytes === 'string' ? [...new TextEncoder().encode(bytes)] : [...bytes];
  await h.page.evaluate(([n, t, d]) => {
    const canvas = document.getElementById('graph-canvas')!;
    const r = canvas.getBoundingClientRect();
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(d)], n, { type: t }));
    canvas.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
  }, [name, type, data] as const);
}

const errorToasts = () => h.page.locator('.toast.error').allTextContents();
const nodeCount = () => editor<number>('return app.view.graph._nodes.length');
const userGuided = () => JSON.parse(readFileSync(join(ROOT, 'workflows/user-guided.json'), 'utf8'));

/** The page is still the editor: canvas on screen, top bar there, no page errors. */
async function stillAlive(): Promise<void> {
  expect(await h.page.locator('#graph-canvas').isVisible()).toBe(true);
  expect(await h.page.locator('#run-button').isVisible()).toBe(true);
  expect(h.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
}

let loadId: number;
beforeEach(async () => {
  await h.page.evaluate(() => document.querySelectorAll('.toast').forEach((t) => t.remove()));
  loadId = await editor<number>(`app.view.graph.clear(); const n = app.addNode('disco/load-image', [200, 200]); app.view.fitAll(); return n.id;`);
});

describe('bad input in the editor', () => {
  it('a text file named .png: refused, and the Load Image node says why', async () => {
    await drop('photo.png', 'image/png', 'this is a note, not a picture\n');
    await expect.poll(errorToasts).toContainEqual(expect.stringMatching(/^photo\.png cannot be read as a picture \(30 bytes;.*damaged or not really image\/png/));
    const node = await editor<{ image: string; problems: Record<string, string> }>(
      'const n = app.view.graph.getNodeById(arg); return { image: n.params().image, problems: Object.fromEntries(n.paramProblems) }', loadId);
    expect(node.image).toBe('');
    expect(node.problems.image).toMatch(/^photo\.png cannot be read as a picture/);
    await h.page.screenshot({ path: join(SHOTS, 'bad-input-text-as-png.png') });
    await stillAlive();
  });

  it('a damaged PNG: refused on the node; a good photo afterwards clears the message', async () => {
    const good = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 90, g: 90, b: 90 } } }).png().toBuffer();
    const damaged = Uint8Array.from(good);
    for (let i = 40; i < damaged.length - 12; i++) damaged[i] ^= 0x5a; // signature and IHDR intact, data scrambled
    await drop('damaged.png', 'image/png', damaged);
    await expect.poll(errorToasts).toContainEqual(expect.stringMatching(/^damaged\.png cannot be read as a picture/));
    expect(await editor<string>('return app.view.graph.getNodeById(arg).paramProblems.get("image")', loadId)).toMatch(/^damaged\.png/);
    await drop('good.png', 'image/png', good);
    await h.page.waitForFunction((id) => !!(window as any).discoEditor.view.graph.getNodeById(id).params().image, loadId);
    expect(await editor<number>('return app.view.graph.getNodeById(arg).paramProblems.size', loadId)).toBe(0);
    await stillAlive();
  });

  it('a .json that is not JSON: a message, the graph unchanged', async () => {
    await drop('workflow.json', 'application/json', '{ "nodes": [ this is not json');
    await expect.poll(errorToasts).toContainEqual(expect.stringMatching(/^Cannot open this workflow: .*JSON/));
    expect(await nodeCount()).toBe(1);
    await stillAlive();
  });

  it('a workflow from a future formatVersion: refused, saying a newer Disco Nodes is needed', async () => {
    const wf = userGuided();
    wf.extra.disco.formatVersion = 99;
    await drop('future.json', 'application/json', JSON.stringify(wf));
    await expect.poll(errorToasts).toContainEqual(expect.stringMatching(/^Cannot open this workflow: .*formatVersion is 99.*newer Disco Nodes/));
    expect(await nodeCount()).toBe(1);
    await stillAlive();
  });

  it('a workflow with an unknown node type: loads with a placeholder and names the missing type', async () => {
    const wf = userGuided();
    const n = wf.nodes.find((x: { type: string }) => x.type === 'disco/propagate-anchors');
    n.type = 'acme/sharpen-more';
    await drop('unknown.json', 'application/json', JSON.stringify(wf));
    await expect.poll(errorToasts).toContainEqual(expect.stringMatching(/node types that are not installed: acme\/sharpen-more\. They are kept as placeholders/));
    expect(await nodeCount()).toBe(wf.nodes.length);
    const placeholder = await editor<{ type: string; known: boolean }>(`const p = app.view.graph.getNodeById(arg);
      return { type: p.type, known: app.registry.has(p.type) }`, n.id);
    expect(placeholder).toEqual({ type: 'acme/sharpen-more', known: false });
    // Saving keeps the placeholder as it was.
    const saved = JSON.parse(await editor<string>(`return app.view.graph.getNodeById(arg) && JSON.stringify(app.view.graph.asSerialisable())`, n.id));
    expect(saved.nodes.find((x: { id: number }) => x.id === n.id).type).toBe('acme/sharpen-more');
    await h.page.screenshot({ path: join(SHOTS, 'bad-input-unknown-node.png') });
    await stillAlive();
  });
});

describe('photos dropped before a Run', () => {
  const photoKey = () => editor<string>('return app.view.graph.getNodeById(arg).params().image', loadId);
  const keyChange = (from: string) => h.page.waitForFunction(([id, k]) => {
    const key = (window as any).discoEditor.view.graph.getNodeById(id).params().image;
    return key && key !== k;
  }, [loadId, from] as const);
  /** Runs the graph: whether it went well, how many photos it decoded, and Load Image's size and first pixel. */
  const run = () => editor<{ ok: boolean; photosDecoded: number; size: number[]; pixel: number[] }>(`
    return app.run().then(async (s) => {
      const r = await app.engine.inspect({ kind: 'image', nodeId: String(arg) });
      const g = new OffscreenCanvas(r.width, r.height).getContext('2d'); g.drawImage(r.bitmap, 0, 0);
      return { ok: s.ok, photosDecoded: s.photosDecoded, size: [r.width, r.height], pixel: [...g.getImageData(0, 0, 1, 1).data] };
    });`, loadId);
  const png = (width: number, height: number, [r, g, b]: number[]) => sharp({ create: { width, height, channels: 3, background: { r, g, b } } }).png().toBuffer();

  it('come decoded: the Run uses the photo the node names, and decodes only one it was never given', async () => {
    await drop('red.png', 'image/png', await png(40, 30, [200, 30, 30]));
    await keyChange('');
    const red = await photoKey();
    await drop('blue.png', 'image/png', await png(50, 20, [20, 40, 210]));
    await keyChange(red);
    expect(await run()).toEqual({ ok: true, photosDecoded: 0, size: [50, 20], pixel: [20, 40, 210, 255] });
    // Back to the first photo: its pixels were handed over when it was dropped.
    await editor('app.view.graph.getNodeById(arg.id).setParam("image", arg.key)', { id: loadId, key: red });
    expect(await run()).toEqual({ ok: true, photosDecoded: 0, size: [40, 30], pixel: [200, 30, 30, 255] });
    // A photo only in storage (stored by another tab, say): the Run decodes it itself.
    const green = [...await png(30, 30, [30, 190, 40])];
    const stored = await editor<string>(`
      return import('/src/editor/storage/idb.ts').then((idb) => idb.storePhoto(new Blob([Uint8Array.from(arg)], { type: 'image/png' })));`, green);
    await editor('app.view.graph.getNodeById(arg.id).setParam("image", arg.key)', { id: loadId, key: stored });
    expect(await run()).toEqual({ ok: true, photosDecoded: 1, size: [30, 30], pixel: [30, 190, 40, 255] });
    await stillAlive();
  });

  it('a Run started in the task of the drop waits for the dropped photo, and says so: it runs that photo, not the one before', async () => {
    await drop('red.png', 'image/png', await png(40, 30, [200, 30, 30]));
    await keyChange('');
    // The drop and the Run in one task: the photo is still being checked, hashed and stored when Run starts.
    const blue = [...await png(50, 20, [20, 40, 210])];
    const ran = await editor<{ ok: boolean; photosDecoded: number; size: number[]; pixel: number[]; status: string }>(`
      const canvas = document.getElementById('graph-canvas');
      const r = canvas.getBoundingClientRect();
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(arg.blue)], 'blue.png', { type: 'image/png' }));
      canvas.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
      const running = app.run();
      const status = document.getElementById('run-status').textContent; // what the Run says while it waits
      return running.then(async (s) => {
        const img = await app.engine.inspect({ kind: 'image', nodeId: String(arg.id) });
        const g = new OffscreenCanvas(img.width, img.height).getContext('2d'); g.drawImage(img.bitmap, 0, 0);
        return { ok: s.ok, photosDecoded: s.photosDecoded, size: [img.width, img.height], pixel: [...g.getImageData(0, 0, 1, 1).data], status };
      });`, { blue, id: loadId });
    expect(ran).toEqual({ ok: true, photosDecoded: 0, size: [50, 20], pixel: [20, 40, 210, 255], status: 'Loading photo…' });
    await stillAlive();
  });
});
