/**
 * What the executor reports about each node while a run proceeds. Every planned node first gets
 * 'pending'; then either 'cached', or 'running' (repeated with progress or a warning) followed by
 * 'done' or 'error'; or 'skipped' with a reason (muted, upstream failed, run cancelled).
 */
export type NodeState = 'pending' | 'running' | 'cached' | 'done' | 'error' | 'skipped';

export interface NodeEvent {
  readonly nodeId: string;
  readonly state: NodeState;
  /** With 'running': progress reported by the node through ctx.progress(done, total). */
  readonly progress?: { readonly done: number; readonly total: number };
  /** With 'running': a note from ctx.warn(message). */
  readonly warning?: string;
  /** With 'done' and 'error': wall-clock time spent in the node, in milliseconds. */
  readonly ms?: number;
  /** With 'error': what went wrong, prefixed with the node's label. */
  readonly error?: string;
  /** With 'skipped': why the node did not run. */
  readonly reason?: string;
}

export type EventSink = (event: NodeEvent) => void;
