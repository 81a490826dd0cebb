/**
 * The CPU backend's WebAssembly kernels in a Chromium worker, where the editor's engine runs them:
 * they load there (so the colour steps, resizes, Recombine, SP-Pool/SP-Diffuse and the k-means are
 * not left to their TypeScript fallbacks, which a page's first run executes cold) and give the bits
 * of those fallbacks. Node tests the kernels themselves; this tests where users run them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

interface WorkerReport { lab: boolean; sp: boolean; kmeans: boolean; labSame: boolean; recombineSame: boolean; error?: string }

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('CPU kernels in a browser worker', () => {
  it('load as WebAssembly and agree with the TypeScript loops', async () => {
    await h.page.goto(`${h.url}?example=none`);
    // A module worker of the dev server's own modules (passed as text: vitest would rewrite import()).
    const worker = `
      const at = (p) => new URL(p, ${JSON.stringify(h.url)}).href;
      try {
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
        });
      } catch (e) {
        postMessage({ error: String(e && e.stack || e) });
      }`;
    const report = await h.page.evaluate((src) => new Promise<WorkerReport>((resolve) => {
      const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
      w.onmessage = (e) => resolve(e.data as WorkerReport);
      w.onerror = (e) => resolve({ error: e.message } as WorkerReport);
    }), worker);
    expect(report.error).toBeUndefined();
    expect(report).toEqual({ lab: true, sp: true, kmeans: true, labSame: true, recombineSame: true });
  }, 120_000);
});
