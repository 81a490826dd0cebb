/** What undo/redo compares and restores: the graph as text, without the view (pan and zoom are not edits). */
import type { GraphCanvas } from '../graph/graph-canvas.ts';

export function graphSnapshot(view: GraphCanvas): string {
  const wf = view.graph.asSerialisable() as { extra?: Record<string, unknown> };
  if (wf.extra) delete wf.extra.ds;
  return JSON.stringify(wf);
}

/** Puts a snapshot back, keeping the current pan and zoom. */
export function restoreSnapshot(view: GraphCanvas, state: string): void {
  const ds = view.graph.extra.ds;
  view.graph.configure(JSON.parse(state));
  if (ds) view.graph.extra.ds = ds;
  view.redraw();
}
