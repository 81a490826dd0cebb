/**
 * The UI side of the engine worker: starts runs, cancels them and routes what comes back to
 * callbacks. One run at a time from the UI's point of view: starting a run cancels the current one.
 * A run resolves with its summary and the full-size image of the node asked for (the viewer's).
 * `inspect` asks about the last run's values (for the viewer) and resolves with the answer.
 * `prepareModels` has the worker create a model set's sessions before any run needs them, and
 * `givePhoto` hands it a photo's pixels as soon as the user picks the photo.
 * The backend choice (auto / WebGPU / CPU + WASM) is remembered in localStorage; `?backend=` in the
 * page's URL overrides it (tests). Switching starts a fresh worker: the old one's values and models
 * lived on its backend.
 */
import type { NodeEvent } from '../../runtime/engine/events.ts';
import type { ExecGraph } from '../../runtime/workflow/exec-format.ts';
import {
  BACKEND_CHOICES, type BackendChoice, type BackendInfo, type FromWorker, type InspectQuery, type InspectResult, type NodeImage,
  type RunSummary, type ToWorker,
} from './protocol.ts';
import { fetchOrtBinary, ortPreloadUrl } from './ort-preload.ts';
import type { PhotoPixels } from './photo-pixels.ts';

export const BACKEND_STORAGE_KEY = 'disco.backend';

const isChoice = (v: string | null): v is BackendChoice => BACKEND_CHOICES.includes(v as BackendChoice);

/** `?backend=` if it names a choice, else the remembered one, else auto. */
export function initialBackendChoice(): { choice: BackendChoice; fromUrl: boolean } {
  const url = new URLSearchParams(location.search).get('backend');
  if (isChoice(url)) return { choice: url, fromUrl: true };
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(BACKEND_STORAGE_KEY);
  } catch {
    // storage blocked (some embeds): the default it is
  }
  return { choice: isChoice(saved) ? saved : 'auto', fromUrl: false };
}

export interface EngineCallbacks {
  ready(backend: string, fallbackReason: string | undefined, info: BackendInfo): void;
  /** The WebGPU device was lost and the engine switched to the CPU (a run in progress is redone there). */
  deviceLost?(reason: string, ort?: string): void;
  event(e: NodeEvent): void;
  preview(nodeId: string, bitmap: ImageBitmap): void;
  finished(summary: RunSummary): void;
}

type Waiter<T> = { resolve: (v: T) => void; reject: (e: Error) => void };

/** Where a model set asked for with `prepareModels` stands in the current worker. */
export type ModelSetState = { state: 'loading' } | { state: 'ready'; ms: number } | { state: 'failed'; error: string };

/** What a run gives back: its summary, and the image of the node asked for as `view` (the caller owns the bitmap). */
export interface RunOutcome {
  readonly summary: RunSummary;
  readonly image?: NodeImage;
}

export class EngineClient {
  private worker!: Worker;
  /** The backend asked for; `backendFromUrl`: it came from `?backend=` (which wins over storage). */
  backendChoice: BackendChoice;
  readonly backendFromUrl: boolean;
  private runId = 0;
  private active: number | undefined;
  /** The last run that finished, while no other has started (its cached nodes' thumbnails come after it). */
  private settled: number | undefined;
  private runWaiter: ((r: RunOutcome) => void) | undefined;
  private reqId = 0;
  private readonly pending = new Map<number, Waiter<InspectResult>>();
  /** The model sets asked for, and where each stands in the current worker. */
  readonly modelSets = new Map<string, ModelSetState>();

  constructor(private readonly cb: EngineCallbacks) {
    const { choice, fromUrl } = initialBackendChoice();
    this.backendChoice = choice;
    this.backendFromUrl = fromUrl;
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('./engine-worker.ts', import.meta.url), { type: 'module', name: 'disco-engine' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    const ortUrl = ortPreloadUrl();
    this.send({ type: 'init', modelsUrl: new URL('models/', document.baseURI).href, backend: this.backendChoice, ortBinary: ortUrl !== undefined });
    if (ortUrl) {
      const worker = this.worker;
      void fetchOrtBinary(ortUrl).then((bytes) => worker.postMessage({ type: 'ort-binary', bytes } satisfies ToWorker, bytes ? [bytes] : []));
    }
    const sets = [...this.modelSets.keys()]; // a new worker (another backend) loads them again
    this.modelSets.clear();
    this.prepareModels(sets);
    this.worker.onerror = (e) => this.abandon(`the engine worker failed to start: ${e.message || 'see the console'}`, true);
  }

  /** Ends the current run and pending questions with `message`; `failed`: report the engine as unavailable. */
  private abandon(message: string, failed: boolean): void {
    if (failed) {
      this.cb.ready('engine unavailable', message, { choice: this.backendChoice, kind: 'cpu', label: 'engine unavailable', reason: message, threads: 0, isolated: false });
    }
    if (this.active !== undefined) this.finish({ ok: false, cancelled: !failed, error: failed ? message : undefined, executed: 0, cached: 0, ms: 0 });
    for (const w of this.pending.values()) w.reject(new Error(message));
    this.pending.clear();
  }

  /**
   * Switches the engine to `choice` and remembers it: a fresh worker (a run in progress is cancelled;
   * `ready` reports the new backend).
   */
  switchBackend(choice: BackendChoice): void {
    try {
      localStorage.setItem(BACKEND_STORAGE_KEY, choice);
    } catch {
      // not remembered, still switched
    }
    this.backendChoice = choice;
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.terminate();
    this.abandon('the engine was restarted on another backend', false);
    this.start();
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  /**
   * Starts a run (cancelling the current one); resolves when it finishes, with its summary and the
   * full-size image of node `view` (if the run produced one).
   */
  run(graph: ExecGraph, images: Record<string, Blob>, targets?: string[], view?: string): Promise<RunOutcome> {
    this.cancel();
    this.runWaiter?.({ summary: { ok: false, cancelled: true, executed: 0, cached: 0, ms: 0 } }); // superseded
    this.active = ++this.runId;
    this.settled = undefined;
    this.send({ type: 'run', runId: this.active, graph, targets, images, view });
    return new Promise((resolve) => (this.runWaiter = resolve));
  }

  cancel(): void {
    if (this.active !== undefined) this.send({ type: 'cancel', runId: this.active });
  }

  /**
   * Ends the current run for good (the document it ran is gone): the worker cancels it, the run
   * resolves as cancelled now, and whatever the worker still sends for it (events, previews, its
   * summary) is ignored, as are the late thumbnails of a run that just finished.
   */
  drop(): void {
    if (this.active !== undefined) {
      this.cancel();
      this.finish({ ok: false, cancelled: true, executed: 0, cached: 0, ms: 0 });
    }
    this.settled = undefined;
  }

  /** Destroys the engine's WebGPU device, to exercise the device-lost fallback (tests, devtools). */
  loseDeviceForTest(): void {
    this.send({ type: 'lose-device' });
  }

  /** Has the worker load these model sets now (those not asked for before), so the first Run need not wait. */
  prepareModels(sets: readonly string[]): void {
    for (const set of sets) {
      if (this.modelSets.has(set)) continue;
      this.modelSets.set(set, { state: 'loading' });
      this.send({ type: 'prepare-models', set });
    }
  }

  /**
   * Hands the worker a photo a Run may use (`key`: its sha256) with its pixels (photo-pixels.ts), so
   * the Run need not decode it. The pixels' buffer is transferred: the caller no longer has them.
   */
  givePhoto(key: string, blob: Blob, pixels: PhotoPixels): void {
    this.send({ type: 'photo', key, blob, pixels }, [pixels.data.buffer]);
  }

  inspect(query: InspectQuery): Promise<InspectResult> {
    const reqId = ++this.reqId;
    this.send({ type: 'inspect', reqId, query });
    return new Promise((resolve, reject) => this.pending.set(reqId, { resolve, reject }));
  }

  private send(m: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  private finish(summary: RunSummary, image?: NodeImage): void {
    this.settled = this.active;
    this.active = undefined;
    const w = this.runWaiter;
    this.runWaiter = undefined;
    this.cb.finished(summary);
    if (w) w({ summary, image });
    else image?.bitmap.close();
  }

  private receive(m: FromWorker): void {
    if (m.type === 'ready') return this.cb.ready(m.backend, m.fallbackReason, m.info);
    if (m.type === 'device-lost') return this.cb.deviceLost?.(m.reason, m.ort);
    if (m.type === 'models-ready') {
      this.modelSets.set(m.set, m.error === undefined ? { state: 'ready', ms: m.ms } : { state: 'failed', error: m.error });
      return;
    }
    if (m.type === 'inspected') {
      const w = this.pending.get(m.reqId);
      this.pending.delete(m.reqId);
      if (m.result) w?.resolve(m.result);
      else w?.reject(new Error(m.error ?? 'no answer'));
      return;
    }
    if (m.type === 'preview' && m.runId === this.settled) return this.cb.preview(m.nodeId, m.bitmap);
    if (m.runId !== this.active) {
      if (m.type === 'preview') m.bitmap.close(); // a superseded run
      if (m.type === 'finished') m.image?.bitmap.close();
      return;
    }
    if (m.type === 'event') this.cb.event(m.event);
    else if (m.type === 'preview') this.cb.preview(m.nodeId, m.bitmap);
    else this.finish(m.summary, m.image);
  }
}
