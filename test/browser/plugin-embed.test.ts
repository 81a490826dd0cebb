/**
 * `<disco-editor>` in a plain page (test/browser/fixtures/embed-page.html): loadWorkflow →
 * loadImage → run → getResult gives a PNG Blob of the image's size with the workflow embedded, and
 * the progress/result/error events fire (bubbling to the document); the photo reaches the engine
 * decoded, so the run decodes none. Uses the training-free
 * user-guided workflow, so no model is needed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHOTS, useHarness, type Harness } from './harness.ts';
import { pngFacts } from './plugin-helpers.ts';

let h: Harness;
useHarness((started) => (h = started));

interface Outcome {
  badWorkflow: string;
  noPhotoError: { rejected: string; events: { message: string; nodeErrors: Record<string, string> }[] };
  progress: { done: number; total: number }[];
  results: { size: number; width: number; height: number; sameAsGetResult: boolean }[];
  png: number[];
  imageKey: string;
  backend: string;
  photosDecoded: number;
}

describe('<disco-editor> embedded in a plain page', () => {
  it('loadWorkflow, loadImage, run and getResult, with events', async () => {
    const { page } = h;
    await page.goto(`${h.url}test/browser/fixtures/embed-page.html`);
    await page.waitForFunction(() => customElements.get('disco-editor') !== undefined, null, { timeout: 20_000 });
    const out = await page.evaluate(async (): Promise<Outcome> => {
      const ed = document.querySelector('disco-editor') as any;
      await ed.ready;
      const errors: { message: string; nodeErrors: Record<string, string> }[] = [];
      const progress: { done: number; total: number }[] = [];
      const results: { png: Blob; width: number; height: number }[] = [];
      // Listen on the document: the events bubble out of the element.
      document.addEventListener('disco-error', (e: any) => errors.push({ message: e.message, nodeErrors: e.nodeErrors }));
      document.addEventListener('disco-progress', (e: any) => progress.push({ done: e.done, total: e.total }));
      document.addEventListener('disco-result', (e: any) => results.push({ png: e.png, width: e.width, height: e.height }));

      const badWorkflow = await ed.loadWorkflow('{"nodes": 3}').then(() => 'loaded', (e: Error) => e.message);
      const workflow = await (await fetch('/workflows/user-guided.json')).json();
      await ed.loadWorkflow(workflow);

      // No photo yet: the Load Image node fails, run() rejects and disco-error names the node.
      const rejected = await ed.run().then(() => 'resolved', (e: Error) => e.message);
      const noPhotoError = { rejected, events: errors.splice(0) };
      progress.length = 0;

      // A gray picture as an ImageBitmap.
      const c = new OffscreenCanvas(72, 48);
      const g = c.getContext('2d')!;
      const ramp = g.createLinearGradient(0, 0, 72, 0);
      ramp.addColorStop(0, '#222');
      ramp.addColorStop(1, '#ddd');
      g.fillStyle = ramp;
      g.fillRect(0, 0, 72, 48);
      await ed.loadImage(c.transferToImageBitmap());
      await ed.run();
      const png: Blob = await ed.getResult();
      await new Promise((r) => setTimeout(r, 0));
      const loader = ed.editor.view.graph._nodes.find((n: any) => n.type === 'disco/load-image');
      return {
        badWorkflow, noPhotoError, progress,
        results: results.map((r) => ({ size: r.png.size, width: r.width, height: r.height, sameAsGetResult: r.png === png })),
        png: [...new Uint8Array(await png.arrayBuffer())],
        imageKey: loader.params().image,
        backend: ed.backend?.name ?? '',
        photosDecoded: ed.latestSummary.photosDecoded,
      };
    });

    expect(out.badWorkflow).toMatch(/^cannot load this workflow: /);
    expect(out.noPhotoError.rejected).toMatch(/finished with errors: node 1: .*not in this browser's storage/);
    expect(out.noPhotoError.events).toHaveLength(1);
    expect(Object.keys(out.noPhotoError.events[0]!.nodeErrors)).toEqual(['1']);

    // Progress climbs to the whole graph; one result event carrying the same Blob getResult gives.
    expect(out.progress.length).toBeGreaterThan(2);
    const last = out.progress.at(-1)!;
    expect(last.done).toBe(last.total);
    expect(last.total).toBe(11);
    expect(out.results).toEqual([{ size: out.png.length, width: 72, height: 48, sameAsGetResult: true }]);

    const facts = await pngFacts(new Uint8Array(out.png));
    expect([facts.width, facts.height]).toEqual([72, 48]);
    expect(facts.meanChroma).toBeGreaterThan(4);
    const embedded = JSON.parse(facts.texts.workflow!);
    const loaderNode = embedded.nodes.find((n: { type: string }) => n.type === 'disco/load-image');
    expect(JSON.stringify(loaderNode)).toContain(out.imageKey);
    expect(out.imageKey).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(JSON.parse(facts.texts.prompt!))).toHaveLength(11);
    expect(out.backend).toMatch(/WebGPU|CPU/);
    expect(out.photosDecoded, 'loadImage handed the engine its pixels: the run decoded none').toBe(0);

    await page.screenshot({ path: join(SHOTS, 'plugin-embed-page.png') });
    expect(h.errors).toEqual([]);
  }, 180_000);
});
