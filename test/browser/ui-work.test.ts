/**
 * What the editor's main thread does around a run (issue 14: on a machine without a GPU it shares two
 * cores with the engine's threads). Idle, it asks for no animation frame at all. During a run the
 * graph is drawn at most once per status message (a node's state or preview), only the changed
 * nodes' pixels (the picture the same as a whole redraw), never its links and grid, and not at all
 * for nodes out of view; the viewer does not update until the run is done; the progress bar ends full. A recolour changes the anchor markers in place. Counts are of calls, tied to
 * the worker's messages, never to time. User-guided example (no models), CPU backend.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inEditor, ourWarnings, SHOTS, useHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
useHarness((started) => (h = started));

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);

interface Counts {
  /** Animation-frame callbacks run (anyone's: litegraph, fabric, ours). */
  frames: number;
  /** litegraph draws of the nodes layer (`clipped`: of the changed nodes' pixels only), and of the links-and-grid layer. */
  nodes: number;
  clipped: number;
  links: number;
  /** Status messages from the worker (node events and previews). */
  status: number;
  /** Updates of <disco-viewer> while a run was going. */
  viewerDuringRun: number;
}

/** Counters on the page: animation frames from the start, the rest once the editor is up. */
async function installCounters(): Promise<void> {
  await editor(`
    const k = window.__counts;
    const c = app.view.canvas;
    for (const [method, key] of [['drawFrontCanvas', 'nodes'], ['drawBackCanvas', 'links']]) {
      const draw = c[method];
      c[method] = function (...a) {
        k[key]++;
        if (key === 'nodes' && this.dirty_area) k.clipped++;
        return draw.apply(this, a);
      };
    }
    const v = app.viewer.el, update = v.update;
    v.update = function (...a) { if (app.engine.running) k.viewerDuringRun++; return update.apply(this, a); };
    const w = app.engine.worker, receive = w.onmessage;
    w.onmessage = (e) => {
      if (e.data.type === 'event' || e.data.type === 'preview') k.status++;
      receive.call(w, e);
    };
    window.__runs = 0;
    app.onRunFinished = () => { window.__runs++; };`);
}

/** Counts from now until `during` resolves and two more frames have passed (what it set off is drawn). */
async function count(during: () => Promise<unknown>): Promise<Counts> {
  await editor('for (const key in window.__counts) window.__counts[key] = 0');
  await during();
  await h.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  // The two frames just asked for are the test's own.
  return editor<Counts>('return { ...window.__counts, frames: window.__counts.frames - 2 }');
}

/** Changes a parameter near the start of the graph, so that most nodes run again. */
async function change(compactness: number): Promise<void> {
  await editor(`app.view.graph._nodes.find((n) => n.type === 'disco/slic-affinity').setParam('compactness', arg)`, compactness);
  await settle();
}

/** Runs the graph and waits for the end. */
async function run(): Promise<void> {
  const before = await editor<number>('return window.__runs');
  await editor('void app.run()');
  await h.page.waitForFunction((n) => (window as any).__runs > n, before, { timeout: 60_000 });
}

/** Until the viewer's questions after a run are answered and a few frames have been drawn. */
async function settle(): Promise<void> {
  await h.page.waitForFunction(() => (window as any).discoEditor.engine.pending.size === 0, null, { timeout: 30_000 });
  await h.page.waitForTimeout(300);
}

describe('the main thread around a run', () => {
  it('idles without frames, draws the graph per status message at most, and only what is in view', async () => {
    const { page } = h;
    await page.addInitScript(() => {
      const counts = ((window as any).__counts = { frames: 0, nodes: 0, clipped: 0, links: 0, status: 0, viewerDuringRun: 0 });
      const ask = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (f) => ask((t) => {
        counts.frames++;
        f(t);
      });
    });
    await page.goto(`${h.url}?example=none&backend=cpu`);
    await waitForEditor(page, h.errors);
    await editor(`return app.openExample('user-guided')`);
    await installCounters();
    await change(11);
    await run();
    await settle();

    // Idle: nothing is drawn, and no one asks for a frame.
    const idle = await count(() => page.waitForTimeout(1500));
    expect(idle).toMatchObject({ frames: 0, nodes: 0, links: 0 });

    // A run with the graph in view: the nodes layer is drawn at most once per status message (and at
    // least once), the links and grid not at all; the viewer waits for the run's end.
    await change(12);
    const inView = await count(run);
    expect(inView.status, 'the run reported node states').toBeGreaterThan(10);
    expect(inView.nodes).toBeGreaterThan(0);
    expect(inView.nodes).toBeLessThanOrEqual(inView.status);
    expect(inView.links).toBe(0);
    expect(inView.viewerDuringRun).toBe(0);
    expect(await page.$eval('.progress-fill', (el) => (el as HTMLElement).style.transform)).toBe('scaleX(1)');
    await page.screenshot({ path: join(SHOTS, 'ui-work-after-run.png') });
    // Only the changed nodes' pixels were painted again, and the picture is what a whole redraw paints.
    expect(inView.clipped).toBeGreaterThan(0);
    const differing = await editor<number[]>(`return (async () => {
      const c = app.view.canvas;
      const pixels = async () => {
        const shot = await createImageBitmap(c.canvas);
        const g = new OffscreenCanvas(shot.width, shot.height).getContext('2d', { willReadFrequently: true });
        g.drawImage(shot, 0, 0);
        return g.getImageData(0, 0, shot.width, shot.height).data;
      };
      const before = await pixels();
      c.draw(true, true);
      const after = await pixels();
      const out = [];
      for (let i = 0; i < before.length; i += 4) {
        if (before[i] !== after[i] || before[i + 1] !== after[i + 1] || before[i + 2] !== after[i + 2]) out.push((i / 4) % c.canvas.width, Math.floor(i / 4 / c.canvas.width));
      }
      return out;
    })()`);
    expect(differing, 'x, y of pixels a whole redraw changes').toEqual([]);

    // The view away from every node: its states change, nothing of the graph is drawn for them.
    await editor('app.view.canvas.ds.offset[0] -= 100000; app.view.redraw()');
    await change(13);
    const away = await count(run);
    expect(away.status).toBeGreaterThan(10);
    expect(away.nodes).toBe(0);
    // Back in view: the states the run left are drawn.
    await editor('app.view.fitAll()');
    await settle();
    expect(await editor<string>(`return app.status.get(app.view.graph._nodes.find((n) => n.type === 'disco/recombine').id).state`)).toBe('done');
  }, 180_000);

  it('recolours an anchor by changing its marker, not by making every marker again', async () => {
    const markers = () => editor<{ tag: number | undefined; id: string; fill: string }[]>(
      'return app.viewer.el.layer.canvas.getObjects().map((m) => ({ tag: m.__tag, id: m.anchor.id, fill: m.fill }))');
    await editor('app.viewer.el.layer.canvas.getObjects().forEach((m, i) => { m.__tag = i; })');
    const before = await markers();
    expect(before.length).toBeGreaterThan(2);
    const target = before[1];
    const runs = await editor<number>('return window.__runs');
    await editor(`app.viewer.edit({ type: 'recolor', anchor: app.viewer.el.anchors.find((a) => a.id === arg), color: { ab: [-40, 40] } })`, target.id);
    await h.page.waitForFunction((n) => (window as any).__runs > n, runs, { timeout: 60_000 });
    await settle();
    expect(await h.page.textContent('#run-status')).toMatch(/^Done: /);
    const after = await markers();
    expect(after.map((m) => [m.tag, m.id])).toEqual(before.map((m) => [m.tag, m.id]));
    expect(after.find((m) => m.id === target.id)!.fill).not.toBe(target.fill);
    expect(after.filter((m) => m.id !== target.id)).toEqual(before.filter((m) => m.id !== target.id));
    await h.page.screenshot({ path: join(SHOTS, 'ui-work-recoloured.png') });
    expect(h.errors).toEqual([]);
    expect(ourWarnings(h.warnings)).toEqual([]);
  }, 120_000);
});
