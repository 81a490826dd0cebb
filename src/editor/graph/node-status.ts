/**
 * What the editor knows about each node's last run: its state, progress, time, error and preview
 * thumbnail. Kept apart from the litegraph graph (keyed by node id), so undo/redo and reloading the
 * graph from a snapshot never blank the previews, and nothing here is ever saved in a workflow.
 */
import type { NodeEvent, NodeState } from '../../runtime/engine/events.ts';

export interface NodeStatus {
  state?: NodeState;
  progress?: { done: number; total: number };
  ms?: number;
  error?: string;
  warning?: string;
  reason?: string;
  /** The latest preview of the node's first IMAGE (output, or input for preview nodes). */
  thumb?: ImageBitmap;
}

export class StatusBoard {
  private readonly byId = new Map<string, NodeStatus>();
  /** Called after any change, with the node's id when one node changed, so the canvas can redraw. */
  onChange: (nodeId?: string) => void = () => {};

  get(id: string | number): NodeStatus | undefined {
    return this.byId.get(String(id));
  }

  /** Applies one executor event. */
  apply(e: NodeEvent): void {
    const s = this.entry(e.nodeId);
    s.state = e.state;
    if (e.state === 'pending') Object.assign(s, { progress: undefined, ms: undefined, error: undefined, warning: undefined, reason: undefined });
    if (e.progress) s.progress = { ...e.progress };
    if (e.warning) s.warning = e.warning;
    if (e.ms !== undefined) s.ms = e.ms;
    if (e.error) s.error = e.error;
    if (e.reason) s.reason = e.reason;
    this.onChange(e.nodeId);
  }

  setThumb(id: string, bitmap: ImageBitmap): void {
    const s = this.entry(id);
    s.thumb?.close();
    s.thumb = bitmap;
    this.onChange(id);
  }

  /** Forgets run states (not thumbnails) before a new run. */
  clearStates(): void {
    for (const s of this.byId.values()) {
      s.state = undefined;
      s.progress = s.ms = s.error = s.warning = s.reason = undefined;
    }
    this.onChange();
  }

  /** Forgets everything, thumbnails too (a new or opened graph reuses node ids). */
  clearAll(): void {
    for (const s of this.byId.values()) s.thumb?.close();
    this.byId.clear();
    this.onChange();
  }

  /** Whole-run progress over the nodes that have a state: finished nodes count 1, running ones their fraction. */
  runProgress(): { done: number; total: number } {
    let done = 0;
    let total = 0;
    for (const s of this.byId.values()) {
      if (!s.state) continue;
      total += 1;
      if (s.state === 'running') done += s.progress && s.progress.total > 0 ? s.progress.done / s.progress.total : 0;
      else if (s.state !== 'pending') done += 1;
    }
    return { done, total };
  }

  private entry(id: string): NodeStatus {
    let s = this.byId.get(id);
    if (!s) this.byId.set(id, (s = {}));
    return s;
  }
}
