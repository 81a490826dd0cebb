/**
 * A workflow file cannot run code in the editor, even without the built site's Content-Security-Policy
 * (the dev server has none): a number parameter holding JavaScript never reaches its widget (so
 * litegraph's number prompt, which evals the widget's value on OK, sees the default), the node says
 * what was wrong, and the node menu has no "Properties" entry (litegraph writes property names from
 * the file into that menu as HTML). Everything is triggered by real mouse input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SHOTS, startHarness, waitForEditor, widgetScreenPos, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

function hostileWorkflow(): string {
  const wf = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/bad/workflows/valid.json'), 'utf8'));
  const resize = wf.nodes.find((n: { type: string }) => n.type === 'disco/resize-to-working');
  resize.title = '<img src=x onerror="window.pwned=\'title\'">';
  resize.properties.params.size = "64;window.pwned='eval'";
  resize.widgets_values[0] = "64;window.pwned='eval-positional'";
  resize.properties['<img src=y onerror="window.pwned=\'property\'">'] = '<img src=z onerror="window.pwned=\'value\'">';
  return JSON.stringify(wf);
}

describe('workflow files cannot run code', () => {
  it('a number param holding code and an HTML property name run nothing', async () => {
    const { page } = h;
    await page.goto(h.url);
    await waitForEditor(page, h.errors);
    const info = await page.evaluate((text) => {
      const app = (window as any).discoEditor;
      app.openText(text);
      const node = app.view.graph.nodes.find((n: any) => n.type === 'disco/resize-to-working');
      node.pos = [100, 100];
      app.view.canvas.ds.offset = [0, 0];
      app.view.canvas.ds.scale = 1;
      app.view.redraw();
      return {
        id: node.id,
        widget: node.widgets.find((w: any) => w.name === 'size').value,
        param: node.params().size,
        problems: [...node.paramProblems.values()],
        fallback: node.def.params.size.default,
      };
    }, hostileWorkflow());
    // The bad value is kept out of the widget and the params; the node and a toast say why.
    expect(info.widget).toBe(info.fallback);
    expect(info.param).toBe(info.fallback);
    expect(info.problems).toHaveLength(1);
    expect(info.problems[0]).toMatch(/^size must be a finite number, got "64;window\.pwned='eval'"; using the default/);
    await expect.poll(() => page.locator('.toast.error').allTextContents()).toContainEqual(expect.stringMatching(/Invalid parameter values.*size/));

    // 1. Click the middle of the number widget: litegraph opens its prompt with the widget's value; OK evals it.
    const pos = await widgetScreenPos(page, info.id, 'size');
    await page.mouse.click(pos.x, pos.y);
    const dialog = page.locator('.graphdialog');
    await dialog.waitFor({ state: 'visible', timeout: 5000 });
    expect(await dialog.locator('input').inputValue()).toBe(String(info.fallback));
    await page.screenshot({ path: join(SHOTS, 'file-safety-prompt.png') });
    await dialog.locator('button').click();

    // 2. Right-click the node's title: our menu has no Properties entries, and no HTML from the file.
    const title = await page.evaluate((id) => {
      const app = (window as any).discoEditor;
      const node = app.view.graph.getNodeById(id);
      const { offset, scale } = app.view.canvas.ds;
      const r = app.view.el.getBoundingClientRect();
      return { x: r.left + (node.pos[0] + 40 + offset[0]) * scale, y: r.top + (node.pos[1] - 15 + offset[1]) * scale };
    }, info.id);
    await page.mouse.click(title.x, title.y, { button: 'right' });
    const menu = page.locator('.litecontextmenu').first();
    await menu.waitFor({ state: 'visible', timeout: 5000 });
    const entries = await menu.locator('.litemenu-entry').allTextContents();
    expect(entries).toEqual(expect.arrayContaining(['Title', 'Mode', 'Run to this node', 'Remove']));
    expect(entries.filter((e) => /Properties/.test(e))).toEqual([]);
    expect(entries.filter((e) => e === 'Title')).toHaveLength(1); // our entries are not doubled
    expect(await page.evaluate(() => document.querySelectorAll('.litecontextmenu img').length)).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'file-safety-menu.png') });
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500); // an <img onerror> would have fired by now

    expect(await page.evaluate(() => (window as any).pwned ?? null)).toBeNull();
    expect(h.errors).toEqual([]);
  }, 60_000);
});
