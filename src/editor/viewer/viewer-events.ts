/** What the viewer asks the app to do; one event class, typed by `action`. */
import type { AnchorColor, ViewAnchor } from './anchor-edits.ts';

export type ViewerAction =
  | { type: 'recolor'; anchor: ViewAnchor; color: AnchorColor }
  | { type: 'move'; anchor: ViewAnchor; x: number; y: number }
  | { type: 'add'; x: number; y: number }
  | { type: 'remove'; anchor: ViewAnchor }
  | { type: 'lock'; anchor: ViewAnchor }
  /** A brush stroke as a mask at the association map's size (W x H), in `color`. */
  | { type: 'stroke'; mask: Uint8Array; W: number; H: number; color: string }
  | { type: 'show-slot'; slot: number }
  | { type: 'pick-variant'; index: number }
  /** Toolbar buttons the app carries out: export the result PNG, run the diverse variants. */
  | { type: 'export' }
  | { type: 'diverse' };

export class ViewerActionEvent extends Event {
  constructor(readonly action: ViewerAction) {
    super('viewer-action', { bubbles: true, composed: true });
  }
}

/** Top-10 colour suggestions of every superpixel (see the worker's topBins answer). */
export interface Suggestions {
  readonly h: number;
  readonly w: number;
  readonly k: number;
  readonly bins: Int32Array;
  readonly probs: Float32Array;
}
