/**
 * The key map: Ctrl+Enter run, Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y undo and redo, Ctrl+S save, Ctrl+B / Ctrl+M
 * bypass / mute the selection, Ctrl+G group it; 1-9 show a viewer slot, Shift+1-9 bind the selected
 * node to it. Keys typed into inputs and litegraph's dialogs are left alone.
 */
import { LGraphGroup, LGraphNode } from '@comfyorg/litegraph';
import { MODE } from '../graph/def-to-litegraph.ts';
import type { GraphCanvas } from '../graph/graph-canvas.ts';
import type { ChangeTracker } from '../history/change-tracker.ts';
import { toast } from '../panels/toast.ts';

export interface KeyActions {
  readonly view: GraphCanvas;
  readonly tracker: ChangeTracker;
  run(): void;
  save(): void;
  showSlot(slot: number): void;
  bindSlot(slot: number, node: LGraphNode | undefined): void;
}

export function installKeyMap(target: Document, ed: KeyActions): void {
  target.addEventListener('keydown', (e) => onKey(e, ed));
}

function onKey(e: KeyboardEvent, ed: KeyActions): void {
  const t = e.target as HTMLElement;
  if (t.closest('input, textarea, select, .litegraph .graphdialog')) return;
  const mod = e.ctrlKey || e.metaKey;
  const digit = /^Digit([1-9])$/.exec(e.code);
  if (digit && !mod && !e.altKey) {
    e.preventDefault();
    if (e.shiftKey) ed.bindSlot(Number(digit[1]), selectedNodes(ed.view)[0]);
    else ed.showSlot(Number(digit[1]));
    return;
  }
  if (!mod) return;
  const k = e.key.toLowerCase();
  const handled = () => {
    e.preventDefault();
    e.stopPropagation();
  };
  if (k === 'enter') {
    handled();
    ed.run();
  } else if (k === 'z' && !e.shiftKey) {
    handled();
    ed.tracker.undo();
  } else if ((k === 'z' && e.shiftKey) || k === 'y') {
    handled();
    ed.tracker.redo();
  } else if (k === 's') {
    handled();
    ed.save();
  } else if (k === 'b' || k === 'm') {
    handled();
    const mode = k === 'b' ? MODE.bypass : MODE.mute;
    for (const n of selectedNodes(ed.view)) n.changeMode(n.mode === mode ? MODE.always : mode);
    ed.tracker.check();
    ed.view.redraw();
  } else if (k === 'g') {
    handled();
    const nodes = selectedNodes(ed.view);
    if (!nodes.length) return toast('Select nodes to group first.');
    const group = new LGraphGroup('Group');
    group.resizeTo(nodes);
    ed.view.graph.add(group);
    ed.tracker.check();
  }
}

function selectedNodes(view: GraphCanvas): LGraphNode[] {
  return [...view.canvas.selectedItems].filter((i): i is LGraphNode => i instanceof LGraphNode);
}
