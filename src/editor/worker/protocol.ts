/**
 * Messages between the UI thread and the engine worker. The UI sends the exec graph plus the image
 * blobs it refers to; the worker answers with per-node events, preview bitmaps and a run summary.
 */
import type { NodeEvent } from '../../runtime/engine/events.ts';
import type { ExecGraph } from '../../runtime/workflow/exec-format.ts';

export type ToWorker =
  /** First message: where model sets are served (`<page>/models/`). */
  | { type: 'init'; modelsUrl: string }
  | { type: 'run'; runId: number; graph: ExecGraph; targets?: string[]; images: Record<string, Blob> }
  | { type: 'cancel'; runId: number };

export interface RunSummary {
  readonly ok: boolean;
  readonly cancelled: boolean;
  /** A run-level failure (invalid graph, unknown target); node errors come as events. */
  readonly error?: string;
  readonly executed: number;
  readonly cached: number;
  readonly ms: number;
}

export type FromWorker =
  | { type: 'ready'; backend: string; fallbackReason?: string }
  | { type: 'event'; runId: number; event: NodeEvent }
  | { type: 'preview'; runId: number; nodeId: string; bitmap: ImageBitmap; width: number; height: number }
  | { type: 'finished'; runId: number; summary: RunSummary };
