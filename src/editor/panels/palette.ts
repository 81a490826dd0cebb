/**
 * The side palette: node types grouped by category. Click adds a node in the middle of the view;
 * dragging one onto the canvas adds it where it is dropped (see app.ts, drop handling).
 */
import type { NodeDef } from '../../runtime/engine/node-def.ts';

export const NODE_DRAG_TYPE = 'application/x-disco-node';

export function renderPalette(host: HTMLElement, defs: readonly NodeDef[], add: (type: string) => void): void {
  host.replaceChildren();
  const title = document.createElement('h2');
  title.textContent = 'Nodes';
  const filter = document.createElement('input');
  filter.type = 'search';
  filter.placeholder = 'Filter…';
  filter.className = 'palette-filter';
  host.append(title, filter);

  const list = document.createElement('div');
  list.className = 'palette-list';
  host.append(list);
  if (!defs.length) {
    list.textContent = 'No node types are registered yet.';
    return;
  }
  const byCategory = new Map<string, NodeDef[]>();
  for (const d of defs) byCategory.set(d.category, [...(byCategory.get(d.category) ?? []), d]);
  for (const [category, items] of [...byCategory].sort(([a], [b]) => a.localeCompare(b))) {
    const section = document.createElement('details');
    section.open = true;
    const summary = document.createElement('summary');
    summary.textContent = category;
    section.append(summary);
    for (const d of items) {
      const b = document.createElement('button');
      b.className = 'palette-item';
      b.textContent = d.displayName;
      b.title = `${d.description}\n(${d.id})`;
      b.dataset.type = d.id;
      b.draggable = true;
      b.addEventListener('click', () => add(d.id));
      b.addEventListener('dragstart', (e) => e.dataTransfer?.setData(NODE_DRAG_TYPE, d.id));
      section.append(b);
    }
    list.append(section);
  }
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    for (const b of list.querySelectorAll<HTMLButtonElement>('.palette-item')) {
      b.hidden = !!q && !`${b.textContent} ${b.dataset.type}`.toLowerCase().includes(q);
    }
    // A category with no match left disappears too.
    for (const section of list.querySelectorAll<HTMLDetailsElement>('details')) {
      section.hidden = !section.querySelector('.palette-item:not([hidden])');
    }
  });
}
