/**
 * The UI side of the engine worker: starts runs, cancels them and routes what comes back to
 * callbacks. One run at a time from the UI's point of view: starting a run cancels the current one.
 */
import type { NodeEvent } from '../../runtime/engine/events.ts';
import type { ExecGraph } from '../../runtime/workflow/exec-format.ts';
import type { FromWorker, RunSummary, ToWorker } from './protocol.ts';

export interface EngineCallbacks {
  ready(backend: string, fallbackReason?: string): void;
  event(e: NodeEvent): void;
  preview(nodeId: string, bitmap: ImageBitmap): void;
  finished(summary: RunSummary): void;
}

export class EngineClient {
  private readonly worker: Worker;
  private runId = 0;
  private active: number | undefined;

  constructor(private readonly cb: EngineCallbacks) {
    this.worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'disco-engine' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.send({ type: 'init', modelsUrl: new URL('models/', document.baseURI).href });
    this.worker.onerror = (e) => {
      const message = `the engine worker failed to start: ${e.message || 'see the console'}`;
      this.cb.ready('engine unavailable', message);
      if (this.active !== undefined) this.cb.finished({ ok: false, cancelled: false, error: message, executed: 0, cached: 0, ms: 0 });
      this.active = undefined;
    };
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  run(graph: ExecGraph, images: Record<string, Blob>, targets?: string[]): void {
    this.cancel();
    this.active = ++this.runId;
    this.send({ type: 'run', runId: this.active, graph, targets, images });
  }

  cancel(): void {
    if (this.active !== undefined) this.send({ type: 'cancel', runId: this.active });
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private receive(m: FromWorker): void {
    if (m.type === 'ready') return this.cb.ready(m.backend, m.fallbackReason);
    if (m.runId !== this.active) {
      if (m.type === 'preview') m.bitmap.close(); // a superseded run
      return;
    }
    if (m.type === 'event') this.cb.event(m.event);
    else if (m.type === 'preview') this.cb.preview(m.nodeId, m.bitmap);
    else {
      this.active = undefined;
      this.cb.finished(m.summary);
    }
  }
}
