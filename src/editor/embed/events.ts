/**
 * The events `<disco-editor>` dispatches. Each is an Event subclass with typed fields, bubbling and
 * composed so a listener anywhere above the element (shadow roots included) hears it.
 */

/** Whole-run progress while a run is going: `done` of `total` nodes (fractional while a node runs). */
export class DiscoProgressEvent extends Event {
  static readonly type = 'disco-progress';
  constructor(readonly done: number, readonly total: number) {
    super(DiscoProgressEvent.type, { bubbles: true, composed: true });
  }
}

/** A run finished with a result image: `png` is what `getResult()` returns (workflow embedded). */
export class DiscoResultEvent extends Event {
  static readonly type = 'disco-result';
  constructor(readonly png: Blob, readonly width: number, readonly height: number) {
    super(DiscoResultEvent.type, { bubbles: true, composed: true });
  }
}

/** A run failed, was cancelled, or ended without a result. `nodeErrors` maps node ids to their errors. */
export class DiscoErrorEvent extends Event {
  static readonly type = 'disco-error';
  constructor(readonly message: string, readonly nodeErrors: Readonly<Record<string, string>> = {}) {
    super(DiscoErrorEvent.type, { bubbles: true, composed: true });
  }
}

/** The engine is up: `backend` names it (e.g. WebGPU or CPU); `fallbackReason` says why WebGPU was not used. */
export class DiscoReadyEvent extends Event {
  static readonly type = 'disco-ready';
  constructor(readonly backend: string, readonly fallbackReason?: string) {
    super(DiscoReadyEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'disco-progress': DiscoProgressEvent;
    'disco-result': DiscoResultEvent;
    'disco-error': DiscoErrorEvent;
    'disco-ready': DiscoReadyEvent;
  }
}
