/**
 * A lost WebGPU device (simulated with device.destroy() through the worker's `lose-device` message):
 * the engine switches to the CPU backend and ORT's WASM backend, the top bar's backend indicator and
 * a toast say so, and runs complete: a run started after the loss, and one the loss interrupts
 * (redone on the CPU).
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { inEditor, SHOTS, useHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
useHarness((started) => (h = started));

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);

const CHAIN = ['disco/load-image', 'disco/rgb-to-lab', 'disco/resize-to-working', 'disco/lab-to-rgb', 'disco/preview-image'];

async function openChain(): Promise<number[]> {
  const { page } = h;
  await page.goto(`${h.url}?example=none&backend=webgpu`); // auto would pick CPU on SwiftShader
  await waitForEditor(page, h.errors);
  await page.waitForFunction(() => !/starting/.test(document.getElementById('backend')!.textContent!));
  expect(await page.textContent('#backend'), 'these tests need the WebGPU backend').toMatch(/^WebGPU/);
  const photo = await sharp({ create: { width: 96, height: 64, channels: 3, background: { r: 40, g: 160, b: 220 } } }).png().toBuffer();
  return editor<number[]>(`
    app.view.graph.clear();
    const nodes = arg.types.map((t, i) => app.addNode(t, [150 + i * 250, 200]));
    for (let i = 0; i + 1 < nodes.length; i++) nodes[i].connect(0, nodes[i + 1], 0);
    nodes[2].setParam('size', 64);
    const file = new File([Uint8Array.from(arg.photo)], 'blue.png', { type: 'image/png' });
    return app.setPhoto(nodes[0], file).then(() => nodes.map((n) => n.id));`, { types: CHAIN, photo: [...photo] });
}

/** The preview's centre pixel (the blue must survive every stage, on either backend); waits for the preview. */
const previewPixel = async (id: number) => {
  await h.page.waitForFunction((i) => !!(window as any).discoEditor.status.get(i)?.thumb, id);
  return editor<number[]>(`
  const t = app.status.get(arg).thumb; const c = new OffscreenCanvas(t.width, t.height); const x = c.getContext('2d');
  x.drawImage(t, 0, 0); return [...x.getImageData(t.width >> 1, t.height >> 1, 1, 1).data.slice(0, 3)];`, id);
};
/** Forgets a node's preview, so the next one read is the next run's. */
const dropPreview = (id: number) => editor('app.status.get(arg).thumb = undefined', id);

describe('WebGPU device lost', () => {
  it('falls back to the CPU and WASM, says so, and the next run completes', async () => {
    const ids = await openChain();
    const first = await editor<{ ok: boolean; executed: number }>('return app.run()');
    expect(first).toMatchObject({ ok: true, executed: CHAIN.length });
    const onGpu = await previewPixel(ids[4]);
    await dropPreview(ids[4]);

    await editor('app.engine.loseDeviceForTest()');
    await h.page.waitForFunction(() => /^CPU/.test(document.getElementById('backend')!.textContent!), null, { timeout: 20_000 });
    expect(await h.page.getAttribute('#backend', 'title')).toMatch(/WebGPU not used: the WebGPU device was lost \(destroyed/);
    await expect.poll(() => h.page.locator('.toast.error').allTextContents(), { timeout: 20_000 })
      .toContainEqual(expect.stringMatching(/^WebGPU stopped working: the WebGPU device was lost \(destroyed.*running on the CPU now \(models: onnxruntime-web \(wasm\)\)/));
    expect(await editor('return app.backend.name')).toMatch(/^CPU/);

    // Cached values lived on the lost device: the next run recomputes everything, on the CPU.
    const second = await editor<{ ok: boolean; executed: number; cached: number }>('return app.run()');
    expect(second).toMatchObject({ ok: true, executed: CHAIN.length, cached: 0 });
    expect(await h.page.textContent('#run-status')).toMatch(/^Done/);
    const onCpu = await previewPixel(ids[4]);
    for (let c = 0; c < 3; c++) expect(Math.abs(onCpu[c] - onGpu[c])).toBeLessThanOrEqual(2);
    expect(onCpu[2]).toBeGreaterThan(180);
    await h.page.screenshot({ path: join(SHOTS, 'device-lost.png') });
    expect(h.errors.filter((e) => !/device|WebGPU|GPU/i.test(e))).toEqual([]);
  }, 90_000);

  it('a run the loss interrupts is redone on the CPU and completes', async () => {
    const ids = await openChain();
    // The loss is sent when the first node reports it is running, so it reaches the worker mid-run;
    // the first node then runs twice (the interrupted run, and its redo on the CPU).
    const { summary, starts } = await editor<{ summary: { ok: boolean; executed: number }; starts: number }>(`
      let starts = 0, sent = false;
      const apply = app.status.apply.bind(app.status);
      app.status.apply = (e) => {
        if (e.nodeId === String(arg) && e.state === 'running') starts++;
        if (e.state === 'running' && !sent) { sent = true; app.engine.loseDeviceForTest(); }
        apply(e);
      };
      return app.run().then((summary) => { app.status.apply = apply; return { summary, starts }; });`, ids[0]);
    expect(summary).toMatchObject({ ok: true, executed: CHAIN.length });
    expect(starts, 'the loss interrupted the run, which was redone').toBe(2);
    expect(await h.page.textContent('#backend')).toMatch(/^CPU/);
    const states = await editor<string[]>('return arg.map((id) => app.status.get(id)?.state)', ids);
    expect(states.every((s) => s === 'done')).toBe(true);
    expect((await previewPixel(ids[4]))[2]).toBeGreaterThan(180);
  }, 90_000);
});
