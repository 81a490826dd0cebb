/**
 * The workflow library (IndexedDB): "Save to library" asks for a name and stores the workflow with a
 * thumbnail of its result; the Library dialog lists entries newest first with their thumbnails,
 * opens one (graph and photo back) and deletes one; entries outlive a reload. Names show as text.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inEditor, SHOTS, useHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
useHarness((started) => (h = started));

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);

const CHAIN = ['disco/load-image', 'disco/rgb-to-lab', 'disco/lab-to-rgb', 'disco/preview-image'];
const NAME = 'Orange <b>chain</b>';

describe('workflow library', () => {
  it('saves with a name and thumbnail, lists, opens and deletes', async () => {
    const { page } = h;
    await page.goto(`${h.url}?example=none`);
    await waitForEditor(page, h.errors);

    // A small graph with a photo, run once so the preview node has a result.
    const photo = await sharp({ create: { width: 64, height: 40, channels: 3, background: { r: 230, g: 120, b: 30 } } }).png().toBuffer();
    const ids = await editor<number[]>(`
      const nodes = arg.types.map((t, i) => app.addNode(t, [150 + i * 260, 200]));
      for (let i = 0; i + 1 < nodes.length; i++) nodes[i].connect(0, nodes[i + 1], 0);
      const file = new File([Uint8Array.from(arg.photo)], 'orange.png', { type: 'image/png' });
      return app.setPhoto(nodes[0], file).then(() => app.run()).then(() => nodes.map((n) => n.id));`, { types: CHAIN, photo: [...photo] });
    await page.waitForFunction((id) => !!(window as any).discoEditor.status.get(id)?.thumb, ids[3]);

    // Save to library: the name prompt, then a toast.
    page.once('dialog', (d) => void d.accept(NAME));
    await page.click('#save-library');
    // Saving encodes a thumbnail and writes IndexedDB: more than expect.poll's 1 s default when the
    // suite's other files load both cores (seen once in a full run).
    await expect.poll(() => page.locator('.toast').allTextContents(), { timeout: 10_000 }).toContainEqual(`Saved "${NAME}" to the library`);

    // A second entry, of an empty graph: no thumbnail.
    await page.click('text=New');
    page.once('dialog', (d) => void d.accept('Empty'));
    await page.click('#save-library');
    await expect.poll(() => page.locator('.toast').allTextContents(), { timeout: 10_000 }).toContainEqual('Saved "Empty" to the library (no result yet, so no thumbnail)');

    // The dialog lists both, newest first; the first saved has a real thumbnail of the orange result.
    await page.click('#library-button');
    const dialog = page.locator('#library-dialog');
    await dialog.waitFor({ state: 'visible' });
    await expect.poll(() => dialog.locator('.library-card').count()).toBe(2);
    expect(await dialog.locator('.library-name').allTextContents()).toEqual(['Empty', NAME]);
    expect(await dialog.locator('.library-name b').count()).toBe(0); // a name is text, not HTML
    const thumb = dialog.locator('.library-card').nth(1).locator('img');
    await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await thumb.elementHandle());
    const px = await thumb.evaluate((el: HTMLImageElement) => {
      const c = document.createElement('canvas');
      c.width = el.naturalWidth;
      c.height = el.naturalHeight;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(el, 0, 0);
      return { w: c.width, h: c.height, rgb: [...ctx.getImageData(c.width >> 1, c.height >> 1, 1, 1).data.slice(0, 3)] };
    });
    expect(px.w).toBe(64);
    expect(px.h).toBe(40);
    expect(px.rgb[0]).toBeGreaterThan(200); // orange survives rgb -> lab -> rgb
    expect(px.rgb[2]).toBeLessThan(70);
    expect(await dialog.locator('.library-card').nth(0).locator('.library-nothumb').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'library-dialog.png') });

    // Delete the empty one.
    await dialog.locator('.library-card').nth(0).locator('.library-delete').click();
    await expect.poll(() => dialog.locator('.library-card').count()).toBe(1);

    // Open the saved one into an empty graph: nodes, links and the photo's thumbnail come back.
    await dialog.locator('.library-open').click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(CHAIN.length);
    expect(await editor<number>('return app.view.graph.links.size')).toBe(CHAIN.length - 1);
    await page.waitForFunction((id) => !!(window as any).discoEditor.status.get(id)?.thumb, ids[0]);

    // Entries live in IndexedDB: still there after a reload.
    await page.reload();
    await waitForEditor(page, h.errors);
    await page.click('#library-button');
    await expect.poll(() => page.locator('#library-dialog .library-name').allTextContents()).toEqual([NAME]);
    expect(h.errors).toEqual([]);
  }, 90_000);
});
