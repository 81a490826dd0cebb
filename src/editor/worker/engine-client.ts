/**
 * The UI side of the engine worker: starts runs, cancels them and routes what comes back to
 * callbacks. One run at a time from the UI's point of view: starting a run cancels the current one.
 * `inspect` asks about the last run's values (for the viewer) and resolves with the answer.
 */
import type { NodeEvent } from '../../runtime/engine/events.ts';
import type { ExecGraph } from '../../runtime/workflow/exec-format.ts';
import type { FromWorker, InspectQuery, InspectResult, RunSummary, ToWorker } from './protocol.ts';

export interface EngineCallbacks {
  ready(backend: string, fallbackReason?: string): void;
  /** The WebGPU device was lost and the engine switched to the CPU (a run in progress is redone there). */
  deviceLost?(reason: string, ort?: string): void;
  event(e: NodeEvent): void;
  preview(nodeId: string, bitmap: ImageBitmap): void;
  finished(summary: RunSummary): void;
}

type Waiter<T> = { resolve: (v: T) => void; reject: (e: Error) => void };

export class EngineClient {
  private readonly worker: Worker;
  private runId = 0;
  private active: number | undefined;
  private runWaiter: ((s: RunSummary) => void) | undefined;
  private reqId = 0;
  private readonly pending = new Map<number, Waiter<InspectResult>>();

  constructor(private readonly cb: EngineCallbacks) {
    this.worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'disco-engine' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    // `?backend=cpu` in the page's URL keeps the engine off WebGPU (CPU kernels, ORT on WASM).
    const prefer = new URLSearchParams(location.search).get('backend') === 'cpu' ? 'cpu' : undefined;
    this.send({ type: 'init', modelsUrl: new URL('models/', document.baseURI).href, prefer });
    this.worker.onerror = (e) => {
      const message = `the engine worker failed to start: ${e.message || 'see the console'}`;
      this.cb.ready('engine unavailable', message);
      if (this.active !== undefined) this.finish({ ok: false, cancelled: false, error: message, executed: 0, cached: 0, ms: 0 });
      for (const w of this.pending.values()) w.reject(new Error(message));
      this.pending.clear();
    };
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  /** Starts a run (cancelling the current one); resolves with its summary when it finishes. */
  run(graph: ExecGraph, images: Record<string, Blob>, targets?: string[]): Promise<RunSummary> {
    this.cancel();
    this.runWaiter?.({ ok: false, cancelled: true, executed: 0, cached: 0, ms: 0 }); // superseded
    this.active = ++this.runId;
    this.send({ type: 'run', runId: this.active, graph, targets, images });
    return new Promise((resolve) => (this.runWaiter = resolve));
  }

  cancel(): void {
    if (this.active !== undefined) this.send({ type: 'cancel', runId: this.active });
  }

  /** Destroys the engine's WebGPU device, to exercise the device-lost fallback (tests, devtools). */
  loseDeviceForTest(): void {
    this.send({ type: 'lose-device' });
  }

  inspect(query: InspectQuery): Promise<InspectResult> {
    const reqId = ++this.reqId;
    this.send({ type: 'inspect', reqId, query });
    return new Promise((resolve, reject) => this.pending.set(reqId, { resolve, reject }));
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private finish(summary: RunSummary): void {
    this.active = undefined;
    const w = this.runWaiter;
    this.runWaiter = undefined;
    this.cb.finished(summary);
    w?.(summary);
  }

  private receive(m: FromWorker): void {
    if (m.type === 'ready') return this.cb.ready(m.backend, m.fallbackReason);
    if (m.type === 'device-lost') return this.cb.deviceLost?.(m.reason, m.ort);
    if (m.type === 'inspected') {
      const w = this.pending.get(m.reqId);
      this.pending.delete(m.reqId);
      if (m.result) w?.resolve(m.result);
      else w?.reject(new Error(m.error ?? 'no answer'));
      return;
    }
    if (m.runId !== this.active) {
      if (m.type === 'preview') m.bitmap.close(); // a superseded run
      return;
    }
    if (m.type === 'event') this.cb.event(m.event);
    else if (m.type === 'preview') this.cb.preview(m.nodeId, m.bitmap);
    else this.finish(m.summary);
  }
}
