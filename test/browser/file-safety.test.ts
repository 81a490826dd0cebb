/**
 * A workflow file cannot run code in the editor, even without the built site's Content-Security-Policy
 * (the dev server has none): a number parameter holding JavaScript never reaches its widget (so
 * litegraph's number prompt, which evals the widget's value on OK, sees the default), the node says
 * what was wrong, and the node menu has no "Properties" entry (litegraph writes property names from
 * the file into that menu as HTML). Everything is triggered by real mouse input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SHOTS, useHarness, waitForEditor, widgetScreenPos, type Harness } from './harness.ts';

let h: Harness;
useHarness((started) => (h = started));

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
    await page.goto(`${h.url}?example=none`);
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

  it('hostile strings in every field of a file (placeholder type, titles, properties, groups, links, extra) inject nothing', async () => {
    const { page } = h;
    await page.goto(`${h.url}?example=none`); // the graph autosaved above need not run: the test opens its own
    await waitForEditor(page, h.errors);
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); void d.dismiss(); });
    // Every payload, if parsed as HTML, adds an <img> (or <svg>) carrying the marker class and runs
    // script setting window.pwned; the checks look for either.
    const x = (where: string) => `<img class="injected" src=x onerror="window.pwned='${where}';alert('${where}')"><svg class="injected" onload="window.pwned='${where}'"></svg>`;
    const wf = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/bad/workflows/valid.json'), 'utf8'));
    const resize = wf.nodes.find((n: { type: string }) => n.type === 'disco/resize-to-working');
    resize.title = x('title');
    resize.properties[x('property name')] = x('property value');
    resize.outputs[0].label = x('slot label');
    const placeholder = wf.nodes.find((n: { type: string }) => n.type === 'disco/lab-to-rgb');
    placeholder.type = x('node type');
    placeholder.title = x('placeholder title');
    placeholder.properties[x('placeholder property')] = x('placeholder value');
    placeholder.inputs[0].name = x('input name');
    placeholder.inputs[0].type = x('input type');
    placeholder.outputs[0].name = x('output name');
    placeholder.outputs[0].type = x('output type');
    for (const l of wf.links) if (l.target_id === placeholder.id || l.origin_id === placeholder.id) l.type = x('link type');
    wf.groups = [{ id: 1, title: x('group title'), bounding: [0, 0, 2000, 600], color: '#335', font_size: 24, flags: {}, [x('group key')]: x('group value') }];
    wf.state.lastGroupId = 1;
    wf.extra[x('extra key')] = x('extra value');
    wf[x('top-level key')] = x('top-level value');
    await page.evaluate((text) => {
      const app = (window as any).discoEditor;
      app.openText(text);
      app.view.canvas.ds.offset = [0, 0];
      app.view.canvas.ds.scale = 1;
      app.view.redraw();
    }, JSON.stringify(wf));

    // Open, from the page's own tasks, every menu litegraph builds from file text: each node's menu
    // (title: its type) and its slots' menus (title: slot name and type), the group's menu, a link's menu.
    const opened = await page.evaluate(async () => {
      const app = (window as any).discoEditor;
      const canvas = app.view.canvas;
      const C = canvas.constructor;
      C.active_canvas = canvas;
      const ev = (x: number, y: number) => Object.assign(new MouseEvent('contextmenu', { clientX: 300, clientY: 300 }), { canvasX: x, canvasY: y });
      const tick = () => new Promise((r) => setTimeout(r, 50));
      let menus = 0;
      for (const node of app.view.graph.nodes) {
        canvas.processContextMenu(node, ev(node.pos[0] + 10, node.pos[1] - 10));
        menus++;
        await tick();
        for (const [i, slot] of (node.inputs ?? []).entries()) {
          const p = node.getConnectionPos(true, i);
          canvas.processContextMenu(node, ev(p[0], p[1]));
          menus++;
          await tick();
          void slot;
        }
        for (const [i] of (node.outputs ?? []).entries()) {
          const p = node.getConnectionPos(false, i);
          canvas.processContextMenu(node, ev(p[0], p[1]));
          menus++;
          await tick();
        }
        // What a user gets by choosing each entry of the node menu that opens more UI.
        const options = canvas.getNodeMenuOptions(node).filter(Boolean);
        for (const o of options) {
          if (!o.has_submenu || typeof o.callback !== 'function' || o.disabled) continue;
          try { o.callback(o, {}, ev(0, 0), undefined, node); menus++; } catch { /* some need a real menu */ }
          await tick();
        }
      }
      const group = app.view.graph.groups[0];
      canvas.processContextMenu(null, ev(group.pos[0] + 10, group.pos[1] + 10));
      menus++;
      await tick();
      const link = Object.values(app.view.graph.links ?? {})[0] ?? [...(app.view.graph._links?.values?.() ?? [])][0];
      if (link) { canvas.showLinkMenu(link, ev(0, 0)); menus++; }
      await tick();
      return {
        menus,
        titles: [...document.querySelectorAll('.litemenu-title')].map((e) => e.textContent),
        entries: [...document.querySelectorAll('.litemenu-entry')].map((e) => e.textContent),
      };
    });
    await page.waitForTimeout(800); // an <img onerror> or <svg onload> would have fired by now
    await page.screenshot({ path: join(SHOTS, 'file-safety-hostile-menus.png') });
    // The type of the placeholder is shown, as text, in its menu's title.
    expect(opened.titles).toContainEqual(expect.stringContaining('<img class="injected"'));
    expect(opened.menus).toBeGreaterThan(10);
    expect(opened.entries.filter((e) => /Properties/.test(e ?? ''))).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('.injected, img[onerror], svg[onload]').length)).toBe(0);
    expect(await page.evaluate(() => (window as any).pwned ?? null)).toBeNull();
    expect(dialogs).toEqual([]);
    expect(h.errors.filter((e) => !/not installed|placeholder/i.test(e))).toEqual([]);
  }, 90_000);
});
