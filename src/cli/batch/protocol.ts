/** Messages between `disco colorize`'s batch parent and its worker processes (Node IPC, JSON). */
import type { ColorizeSettings } from '../colorizer.ts';

export interface WorkerInit {
  readonly settings: ColorizeSettings;
}

export type ToWorker =
  | { readonly type: 'job'; readonly id: number; readonly input: string; readonly output: string }
  | { readonly type: 'stop' };

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly id: number; readonly ms: number; readonly width: number; readonly height: number }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
  /** The worker could not start (e.g. the model set is missing): the batch stops. */
  | { readonly type: 'fatal'; readonly message: string };
