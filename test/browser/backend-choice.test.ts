/**
 * The editor's backend choice, in headless Chromium, whose only WebGPU adapter is SwiftShader (a
 * fallback, software adapter): by default the engine runs on the CPU kernels + WASM and the top bar
 * says why; the top bar's menu switches to WebGPU and back, and the choice survives a reload;
 * `?backend=` overrides it. The dev server makes the page cross-origin isolated, so WASM gets one
 * thread per core; inside a frame of a page that is not isolated it runs on one and says so.
 * Every page opens with `?example=none`: nothing here needs a run, so none starts by itself.
 */
import { describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { useHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
useHarness((started) => (h = started));

/** The top bar's backend label and reason once the engine has reported (not "starting…"/"switching…"). */
async function shown(p: Page | Frame, label: RegExp): Promise<{ label: string; why: string; choice: string }> {
  await p.waitForFunction((src) => new RegExp(src).test(document.getElementById('backend')?.textContent ?? ''), label.source, { timeout: 30_000 });
  return p.evaluate(() => ({
    label: document.getElementById('backend')!.textContent!,
    why: document.getElementById('backend-why')!.textContent!,
    choice: (document.getElementById('backend-choice') as HTMLSelectElement).value,
  }));
}

describe('backend choice in the editor', () => {
  it('picks CPU + WASM on the software adapter, says why, and uses one WASM thread per core', async () => {
    const { page } = h;
    // ?example=none (kept by the reloads): no example or restored graph runs by itself; no test here needs a run.
    await page.goto(`${h.url}?example=none`);
    await page.evaluate(() => localStorage.removeItem('disco.backend'));
    await page.reload();
    await waitForEditor(page, h.errors);
    const env = await page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }));
    expect(env.isolated).toBe(true); // the dev server sends COOP/COEP
    const s = await shown(page, /^CPU/);
    expect(s.label).toBe(`CPU + WASM (${env.cores} thread${env.cores === 1 ? '' : 's'})`);
    expect(s.why).toMatch(/software WebGPU adapter \(.*swiftshader.*\) would be slower/i);
    expect(s.choice).toBe('auto');

    // Readable where users are: the label whole, and enough of the reason to say why, at common widths.
    for (const width of [1440, 1366, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      const seen = await page.evaluate(() => {
        const box = (id: string) => { const e = document.getElementById(id)!; const r = e.getBoundingClientRect(); return { w: r.width, full: e.scrollWidth, right: r.right }; };
        return { label: box('backend'), why: box('backend-why'), page: innerWidth };
      });
      expect(seen.label.full, `${width} px: the backend label is cut`).toBeLessThanOrEqual(seen.label.w + 0.5);
      expect(seen.why.w, `${width} px: too little of the reason shows`).toBeGreaterThanOrEqual(140);
      expect(Math.max(seen.label.right, seen.why.right), `${width} px: off the page`).toBeLessThanOrEqual(seen.page);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('switches to WebGPU and back from the top bar, remembered across reloads', async () => {
    const { page } = h;
    await page.selectOption('#backend-choice', 'webgpu');
    const gpu = await shown(page, /^WebGPU/);
    expect(gpu.why).toMatch(/chosen, on a software adapter .*slower than CPU \+ WASM/);
    expect(await page.evaluate(() => localStorage.getItem('disco.backend'))).toBe('webgpu');

    await page.reload();
    await waitForEditor(page, h.errors);
    expect(await shown(page, /^WebGPU/)).toMatchObject({ choice: 'webgpu' });

    await page.selectOption('#backend-choice', 'cpu');
    expect(await shown(page, /^CPU/)).toMatchObject({ choice: 'cpu', why: expect.stringMatching(/^chosen instead of Auto, which picks WebGPU on a hardware adapter/) });
    await page.reload();
    await waitForEditor(page, h.errors);
    expect(await shown(page, /^CPU/)).toMatchObject({ choice: 'cpu' });

    await page.selectOption('#backend-choice', 'auto');
    expect(await shown(page, /^CPU/)).toMatchObject({ choice: 'auto', why: expect.stringMatching(/software WebGPU adapter/) });
  });

  it('lets ?backend= override the remembered choice', async () => {
    const { page } = h;
    await page.evaluate(() => localStorage.setItem('disco.backend', 'cpu'));
    await page.goto(`${h.url}?example=none&backend=webgpu`);
    await waitForEditor(page, h.errors);
    expect(await shown(page, /^WebGPU/)).toMatchObject({ choice: 'webgpu' });
    await page.evaluate(() => localStorage.removeItem('disco.backend'));
  });

  it('runs single-threaded inside a frame of a page that is not cross-origin isolated, and says so', async () => {
    const page = await h.context.newPage();
    try {
      await page.setContent(`<iframe src="${h.url}?example=none" style="width:1200px;height:700px"></iframe>`);
      const frame = await (await page.waitForSelector('iframe')).contentFrame();
      await frame!.waitForFunction(() => (window as any).discoEditor !== undefined, null, { timeout: 30_000 });
      expect(await frame!.evaluate(() => crossOriginIsolated)).toBe(false);
      const s = await shown(frame!, /^CPU/);
      expect(s.label).toBe('CPU + WASM (1 thread)');
      expect(s.why).toMatch(/single-threaded: the page is not cross-origin isolated/);
    } finally {
      await page.close();
    }
  });

  it('left no page errors', () => {
    expect(h.errors).toEqual([]);
  });
});
