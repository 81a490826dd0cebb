/**
 * Pieces of the engine in a Chromium worker, where the editor runs them (Node has neither the
 * browser's image APIs nor its WebAssembly settings):
 * - the CPU backend's WebAssembly kernels load there (so the colour steps, resizes, Recombine,
 *   SP-Pool/SP-Diffuse and the k-means are not left to their TypeScript fallbacks, which a page's
 *   first run executes cold) and give the bits of those fallbacks;
 * - a run's images (run-images.ts): thumbnails straight from the pixels or from the full-size
 *   bitmap the viewer takes, the same picture either way;
 * - a photo's pixels as the UI thread decodes them when it is dropped (photo-pixels.ts) are the
 *   ones the worker's Load Image would decode itself (EXIF orientation applied, translucent pixels alike);
 * - the editor's engine worker on the CPU path starts onnxruntime-web on its own, before any
 *   workflow opens (a model set asked for later finds the runtime up).
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STARTED } from '../../src/runtime/onnx/ort-web.ts';
import { engineWorker, startHarness, type Harness } from './harness.ts';

interface WorkerReport { lab: boolean; sp: boolean; kmeans: boolean; labSame: boolean; recombineSame: boolean; error?: string }

/** Runs `body` (module source; `at(path)` gives a dev-server URL) in a module worker; resolves with what it posts. */
function inWorker<T>(body: string): Promise<T & { error?: string }> {
  const src = `const at = (p) => new URL(p, ${JSON.stringify(h.url)}).href;
    try { ${body} } catch (e) { postMessage({ error: String(e && e.stack || e) }); }`;
  // Passed as text: vitest would rewrite an import() inside a function.
  return h.page.evaluate((text) => new Promise<T & { error?: string }>((resolve) => {
    const w = new Worker(URL.createObjectURL(new Blob([text], { type: 'text/javascript' })), { type: 'module' });
    w.onmessage = (e) => resolve(e.data);
    w.onerror = (e) => resolve({ error: e.message } as T & { error?: string });
  }), src);
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await h.page.goto(`${h.url}?example=none`);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('CPU kernels in a browser worker', () => {
  it('load as WebAssembly and agree with the TypeScript loops', async () => {
    const report = await inWorker<WorkerReport>(`
      const { wasmLabKernels } = await import(at('/src/runtime/backends/cpu/simd/lab-wasm.ts'));
      const { simdKernels } = await import(at('/src/runtime/backends/cpu/simd/simd.ts'));
      const { simdAssign } = await import(at('/src/runtime/backends/cpu/simd/kmeans-simd.ts'));
      const { rgbToLabImage } = await import(at('/src/runtime/backends/cpu/lab.ts'));
      const { recombineLab } = await import(at('/src/runtime/backends/cpu/color-ops.ts'));
      const { cpuTensor } = await import(at('/src/runtime/values/tensor.ts'));
      const [W, H] = [301, 230];
      const image = { width: W, height: H, data: Uint8ClampedArray.from({ length: 4 * W * H }, (_, i) => (i * 7919) % 256) };
      const same = (a, b) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
      const lab = rgbToLabImage(image), labLoop = rgbToLabImage(image, null);
      const ab = cpuTensor([1, 2, 64, 64], Float32Array.from({ length: 2 * 64 * 64 }, (_, i) => Math.sin(i) * 0.8));
      const photo = { lab, content: { width: W, height: H } }, content = { width: 60, height: 50 };
      postMessage({
        lab: wasmLabKernels() !== null, sp: simdKernels() !== null, kmeans: simdAssign() !== null,
        labSame: same(lab.data, labLoop.data),
        recombineSame: same(recombineLab(photo, ab, content).data, recombineLab(photo, ab, content, null).data),
      });`);
    expect(report.error).toBeUndefined();
    expect(report).toEqual({ lab: true, sp: true, kmeans: true, labSame: true, recombineSame: true });
  }, 120_000);
});

describe('a run\'s images in a browser worker', () => {
  it('thumbnails fit 320 px, from the pixels or from the taken bitmap alike; the taken bitmap is full size', async () => {
    const report = await inWorker<{ sizes: number[][]; pixels: number[][] }>(`
      const { RunImages } = await import(at('/src/editor/worker/run-images.ts'));
      // 1000x500: left half orange, right half blue
      const [W, H] = [1000, 500], data = new Uint8ClampedArray(4 * W * H);
      for (let p = 0; p < W * H; p++) data.set((p % W) < W / 2 ? [230, 120, 20, 255] : [20, 60, 200, 255], 4 * p);
      const img = { width: W, height: H, data };
      const read = (b) => {
        const c = new OffscreenCanvas(b.width, b.height).getContext('2d');
        c.drawImage(b, 0, 0);
        return [...c.getImageData(b.width / 4, b.height / 2, 1, 1).data, ...c.getImageData((3 * b.width) / 4, b.height / 2, 1, 1).data];
      };
      const images = new RunImages();
      const fromPixels = await images.thumbnail(img);
      const full = await images.take(img);
      const again = new RunImages();
      const fullFirst = again.take(img);
      const fromBitmap = await again.thumbnail(img);
      const small = await new RunImages().thumbnail({ width: 48, height: 32, data: data.subarray(0, 4 * 48 * 32) });
      postMessage({
        sizes: [fromPixels, full, fromBitmap, small].map((b) => [b.width, b.height]),
        pixels: [read(fromPixels), read(fromBitmap), read(await fullFirst)],
      });
      await images.close();
      await again.close();`);
    expect(report.error).toBeUndefined();
    expect(report.sizes).toEqual([[320, 160], [1000, 500], [320, 160], [48, 32]]);
    for (const px of report.pixels) expect(px).toEqual([230, 120, 20, 255, 20, 60, 200, 255]);
  }, 120_000);
});

describe('a photo decoded on the UI thread', () => {
  it('has the pixels the worker decodes, for a PNG with alpha and a turned JPEG', async () => {
    const [W, H] = [37, 23];
    const raw = Buffer.alloc(4 * W * H);
    for (let p = 0; p < W * H; p++) raw.set([(p * 7) % 256, (p * 3) % 256, (p * 11) % 256, 40 + (p % 200)], 4 * p);
    const png = await sharp(raw, { raw: { width: W, height: H, channels: 4 } }).png().toBuffer();
    const jpeg = await sharp(raw, { raw: { width: W, height: H, channels: 4 } }).removeAlpha().jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const photos = [['image/png', png.toString('base64')], ['image/jpeg', jpeg.toString('base64')]];
    const blobs = `const photos = ${JSON.stringify(photos)}.map(([t, b]) => new Blob([Uint8Array.from(atob(b), (c) => c.charCodeAt(0))], { type: t }));`;
    const digest = (d: number[]) => d.length + ':' + d.reduce((s, v, i) => (s * 31 + v * (i + 1)) % 1_000_000_007, 0);
    // Passed as text, like inWorker's body: vitest would rewrite an import() inside a function.
    const onUi = await h.page.evaluate<{ size: number[]; data: number[] }[]>(`(async () => {
      const { photoBitmap, bitmapPixels } = await import(${JSON.stringify(`${h.url}src/editor/worker/photo-pixels.ts`)});
      ${blobs}
      const out = [];
      for (const blob of photos) {
        const p = bitmapPixels(await photoBitmap(blob));
        out.push({ size: [p.width, p.height], data: [...p.data] });
      }
      return out;
    })()`);
    const inWorkerReport = await inWorker<{ decoded: { size: number[]; data: number[] }[] }>(`
      const { BlobImageIO } = await import(at('/src/editor/worker/browser-io.ts'));
      ${blobs}
      const io = new BlobImageIO(), decoded = [];
      for (const [i, blob] of photos.entries()) {
        io.put('k' + i, blob);
        const v = await io.loadImage('k' + i);
        decoded.push({ size: [v.width, v.height], data: [...v.data] });
      }
      postMessage({ decoded });`);
    expect(inWorkerReport.error).toBeUndefined();
    expect(onUi.map((p) => p.size)).toEqual([[W, H], [H, W]]); // the JPEG's EXIF orientation 6 turns it
    expect(inWorkerReport.decoded.map((p) => p.size)).toEqual(onUi.map((p) => p.size));
    expect(inWorkerReport.decoded.map((p) => digest(p.data))).toEqual(onUi.map((p) => digest(p.data)));
  }, 120_000);
});

describe('the editor\'s engine worker', () => {
  it('starts onnxruntime-web before any workflow opens, on the CPU path', async () => {
    // This page opened no workflow (example=none): no model set was asked for.
    await h.page.waitForFunction(() => /^CPU/.test(document.getElementById('backend')?.textContent ?? ''), null, { timeout: 60_000 });
    const engine = await engineWorker(h.page);
    const seen = () => engine.evaluate((name) => ({
      started: performance.getEntriesByName(name).length > 0,
      models: performance.getEntriesByType('resource').filter((e) => e.name.includes('/models/')).length,
    }), STARTED);
    await expect.poll(seen, { timeout: 90_000, interval: 250 }).toEqual({ started: true, models: 0 });
    expect(await h.page.evaluate(() => (window as any).discoEditor.engine.modelSets.size)).toBe(0);
  }, 120_000);
});
