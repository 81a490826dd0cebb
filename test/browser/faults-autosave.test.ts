/**
 * The page killed mid-edit (closed without a clean unload, 100 ms after the last edit: less than a
 * debounced autosave would wait) and opened again: the graph, the User Anchors list and the photo
 * are all back, because autosave writes right after each change.
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SHOTS, useHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
useHarness((started) => (h = started));

const ANCHORS = [{ x: 0.25, y: 0.3, color: '#c0392b' }, { x: 0.7, y: 0.6, color: '#2e86c1', locked: true }];

describe('page killed mid-edit', () => {
  it('graph, anchors and photo come back', async () => {
    let page = h.page;
    await page.goto(`${h.url}?example=none`);
    await waitForEditor(page, h.errors);
    await page.selectOption('#examples-menu', 'user-guided');
    await page.waitForFunction(() => (window as any).discoEditor.view.graph._nodes.length > 5);
    const photo = await sharp({ create: { width: 50, height: 34, channels: 3, background: { r: 120, g: 120, b: 120 } } }).png().toBuffer();
    const before = await page.evaluate(async ([bytes, anchors]) => {
      const app = (window as any).discoEditor;
      const nodes = app.view.graph._nodes;
      const load = nodes.find((n: any) => n.type === 'disco/load-image');
      const user = nodes.find((n: any) => n.type === 'disco/user-anchors');
      await app.setPhoto(load, new File([Uint8Array.from(bytes as number[])], 'mine.png', { type: 'image/png' }));
      // The last edits: the anchor list (as the viewer writes it) and a new node, one after the other.
      user.setParam('anchors', anchors);
      app.addNode('disco/preview-image', [900, 600]);
      return { count: app.view.graph._nodes.length, links: app.view.graph.links.size, photo: load.params().image, loadId: load.id, userId: user.id };
    }, [[...photo], ANCHORS] as const);
    expect(before.photo).toMatch(/^[0-9a-f]{64}$/);

    await page.waitForTimeout(100);
    await page.close({ runBeforeUnload: false });

    page = await h.context.newPage();
    page.on('pageerror', (e) => h.errors.push(`pageerror: ${e.message}`));
    await page.goto(`${h.url}?example=none`);
    await waitForEditor(page, h.errors);
    const after = await page.evaluate(([loadId, userId]) => {
      const app = (window as any).discoEditor;
      return {
        count: app.view.graph._nodes.length, links: app.view.graph.links.size,
        photo: app.view.graph.getNodeById(loadId).params().image,
        anchors: app.view.graph.getNodeById(userId).params().anchors,
        preview: app.view.graph._nodes.some((n: any) => n.type === 'disco/preview-image'),
      };
    }, [before.loadId, before.userId] as const);
    expect(after).toEqual({ count: before.count, links: before.links, photo: before.photo, anchors: ANCHORS, preview: true });
    // The photo itself is in storage: its thumbnail is drawn again.
    await page.waitForFunction((id) => {
      const t = (window as any).discoEditor.status.get(id)?.thumb;
      return t && t.width === 50 && t.height === 34;
    }, before.loadId);
    await page.screenshot({ path: join(SHOTS, 'killed-mid-edit-restored.png') });
    expect(h.errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  }, 90_000);
});
