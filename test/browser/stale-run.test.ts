/**
 * A document switch while a run is going (issue 16, "New/Open clears state"): opening an example,
 * or New, in the middle of a run cancels it, and nothing that run still sends (node events,
 * previews, its summary, the viewer's data) reaches the new document: no node states or thumbnails,
 * an empty viewer and problems panel, and a status line that says Ready. The switch is made from
 * inside the worker's message handler, right after the run's first preview (or first finished node),
 * so it lands mid-run however fast the machine; the test then waits for the worker's own `finished`
 * of that run. User-guided example (no models), CPU backend.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { inEditor, ourWarnings, SHOTS, useHarness, waitForEditor, type Harness } from './harness.ts';

let h: Harness;
useHarness((started) => (h = started));

const editor = <T>(fn: string, arg?: unknown): Promise<T> => inEditor<T>(h, fn, arg);
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `stale-run-${name}.png`) });

/**
 * Starts a run and, as soon as the worker reports its first preview or finished node, switches the
 * document with `switchSrc` (run in the page with `app`). Resolves with the run's id, once the worker
 * has sent that run's `finished` and the viewer's questions are answered.
 */
async function switchMidRun(switchSrc: string): Promise<{ runId: number; finishedBeforeSwitch: boolean; afterSwitch: number }> {
  await editor(`
    const w = app.engine.worker;
    const handle = (window.__handle ??= w.onmessage); // the client's own, not a wrapper from before
    window.__log = [];
    window.__switched = undefined;
    const doSwitch = new Function('app', arg);
    w.onmessage = (e) => {
      handle.call(w, e);
      const m = e.data;
      window.__log.push({ type: m.type, runId: m.runId });
      const early = m.type === 'preview' || (m.type === 'event' && (m.event.state === 'done' || m.event.state === 'cached'));
      if (window.__switched === undefined && early) {
        window.__switched = window.__log.length;
        doSwitch(app);
      }
    };
    void app.run();`, switchSrc);
  await h.page.waitForFunction(() => (window as any).__switched !== undefined, null, { timeout: 60_000 });
  const runId = await editor<number>('return window.__log[window.__switched - 1].runId');
  await h.page.waitForFunction((id) => (window as any).__log.some((m: { type: string; runId?: number }) => m.type === 'finished' && m.runId === id), runId, { timeout: 60_000 });
  // Whatever the old run's end set off (the viewer's questions to the worker) is answered by now.
  await h.page.waitForFunction(() => (window as any).discoEditor.engine.pending.size === 0, null, { timeout: 30_000 });
  await h.page.waitForTimeout(500);
  return editor(`
    const log = window.__log, at = window.__switched;
    return {
      runId: arg,
      finishedBeforeSwitch: log.slice(0, at).some((m) => m.type === 'finished' && m.runId === arg),
      afterSwitch: log.slice(at).filter((m) => m.runId === arg).length,
    };`, runId);
}

/** Everything the previous graph's run could have left: node states and thumbnails, the viewer, problems, the status line. */
const leftovers = () => editor<{ states: string[]; viewer: Record<string, unknown>; problems: boolean; status: string; running: boolean }>(`
  // Load Image's thumbnail is the new document's own photo (opening shows it); any other is stale.
  const photoNode = (id) => app.view.graph.getNodeById(Number(id))?.type === 'disco/load-image';
  const states = [...app.status.byId.entries()].filter(([id, s]) => s.state || (s.thumb && !photoNode(id)) || s.error || s.ms !== undefined).map(([id, s]) => id + ':' + s.state);
  const v = app.viewer.el;
  return {
    states,
    viewer: { image: !!v.image, before: !!v.beforeImage, affinity: !!v.affinity, suggestions: !!v.suggestions, anchors: v.anchors.length, heading: v.heading, viewed: app.viewer.viewedNode ?? null, editable: v.editable },
    problems: !document.querySelector('.problems').hidden,
    status: document.getElementById('run-status').textContent,
    running: document.body.classList.contains('running'),
  };`);

const clean = { states: [], viewer: { image: false, before: false, affinity: false, suggestions: false, anchors: 0, heading: 'Viewer', viewed: null, editable: false }, problems: false, status: 'Ready', running: false };

describe('a document switch during a run', () => {
  it('cancels the run and keeps its results, previews and errors out of the new document', async () => {
    const { page } = h;
    await page.goto(`${h.url}?example=none&backend=cpu`);
    await waitForEditor(page, h.errors);
    await editor(`return app.openExample('user-guided')`);

    // Open the example again in the middle of its run: the same node ids, so anything stale would show.
    const opened = await switchMidRun(`void app.openExample('user-guided')`);
    expect(opened.finishedBeforeSwitch, 'the switch came while the run was going').toBe(false);
    expect(opened.afterSwitch, 'the worker still reported on the old run after the switch').toBeGreaterThan(0);
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(11);
    expect(await leftovers()).toEqual(clean);
    await shot(page, 'after-open');

    // The new document runs as usual afterwards.
    await page.click('#run-button');
    await page.waitForFunction(() => /^(Done|Finished|Run failed|Cancelled)/.test(document.getElementById('run-status')!.textContent!), null, { timeout: 60_000 });
    expect(await page.textContent('#run-status')).toMatch(/^Done: /);
    await expect.poll(() => editor<boolean>('return !!app.viewer.el.image')).toBe(true);

    // New in the middle of a run (change a param so it is not all cached).
    await editor(`app.view.graph._nodes.find((x) => x.type === 'disco/slic-affinity').setParam('compactness', 20)`);
    const cleared = await switchMidRun(`app.documents.newGraph()`);
    expect(cleared.finishedBeforeSwitch).toBe(false);
    expect(cleared.afterSwitch).toBeGreaterThan(0);
    expect(await editor<number>('return app.view.graph._nodes.length')).toBe(0);
    expect(await leftovers()).toEqual(clean);
    expect(await editor<number>('return app.status.byId.size')).toBe(0);
    await shot(page, 'after-new');

    expect(h.errors).toEqual([]);
    expect(ourWarnings(h.warnings)).toEqual([]);
  }, 180_000);
});
