/**
 * Runs: the canvas's graph becomes an exec graph (read straight from litegraph, see canvas-to-exec),
 * the photos its image parameters name are read from storage (once: a key is the photo's hash), and
 * the worker runs it and sends back the image on view with the result, which the viewer draws at once
 * before it fetches what else changed. Anchor edits rerun at once when
 * auto-run is on: edits made in one task make one run, and a new run replaces one in progress.
 */
import { modelDrift } from '../runtime/workflow/model-drift.ts';
import type { DiscoModelRef } from '../runtime/workflow/schema.ts';
import type { GraphCanvas } from './graph/graph-canvas.ts';
import type { StatusBoard } from './graph/node-status.ts';
import { canvasToExec } from './graph/canvas-to-exec.ts';
import { toast } from './panels/toast.ts';
import type { Topbar } from './panels/topbar.ts';
import { loadPhoto } from './storage/idb.ts';
import type { EngineClient } from './worker/engine-client.ts';
import type { PhotoPixels } from './worker/photo-pixels.ts';
import type { NodeImage, RunSummary } from './worker/protocol.ts';
import type { NodeRegistry } from '../runtime/engine/registry.ts';
import { imageParam } from '../runtime/engine/roles.ts';
import type { ExecGraph } from '../runtime/workflow/exec-format.ts';

export interface RunHost {
  readonly view: GraphCanvas;
  readonly registry: NodeRegistry;
  readonly status: StatusBoard;
  readonly topbar: Topbar;
  readonly engine: EngineClient;
  /** Which node's image the viewer will show after a run of `graph` (it comes back with the result). */
  viewedNode?(graph: ExecGraph): string | undefined;
  /** After a run of `graph` that was not cancelled, with the run's image of the viewed node: the viewer refreshes. */
  afterRun(graph: ExecGraph, image?: NodeImage): Promise<void>;
  /** Just before a run starts (the last run's problems go). */
  beforeRun?(): void;
}

export class Runner {
  /** A rerun is queued for the end of the current task (a run started before then replaces it). */
  private rerunQueued = false;
  /** Photos by storage key. A key is the photo's content hash, so a kept blob never goes stale. */
  private readonly photos = new Map<string, Blob>();
  /** Goes up with each new or opened document: a run started before that applies nothing. */
  private generation = 0;
  /** Files being loaded into the graph (see `loadingFile`), settled either way. */
  private readonly loading = new Set<Promise<unknown>>();

  constructor(private readonly ed: RunHost) {}

  /**
   * Runs the whole graph, or only what `targets` need; resolves with the summary (undefined: nothing
   * to run). `edit` may change the exec graph on its way to the worker (the canvas stays as it is).
   */
  async run(targets?: string[], edit?: (g: ExecGraph) => void): Promise<RunSummary | undefined> {
    const { view, registry, status, topbar, engine } = this.ed;
    this.rerunQueued = false;
    // A file dropped or chosen just before may still be loading (a photo checked, hashed and stored
    // before its node names it): the Run is for it, not for what it replaces. The status says what
    // the Run waits for (a store that never answers would otherwise look like a Run that does nothing).
    if (this.loading.size) {
      topbar.setStatus('Loading photo…');
      await Promise.all(this.loading);
    }
    const { graph, missingTypes } = canvasToExec(view.graph, registry);
    if (missingTypes.length) toast(`Skipping nodes of unknown types: ${missingTypes.join(', ')}`, 'error');
    if (!Object.keys(graph).length) return void toast('Nothing to run: add some nodes first.');
    edit?.(graph);
    const generation = this.generation;
    const images: Record<string, Blob> = {};
    for (const node of Object.values(graph)) {
      const param = imageParam(registry.get(node.type));
      const key = param ? node.inputs[param] : undefined;
      if (typeof key === 'string' && key && !images[key]) {
        const blob = this.photos.get(key) ?? (await loadPhoto(key));
        if (blob) this.photos.set(key, (images[key] = blob));
      }
    }
    if (generation !== this.generation) return undefined; // another document opened while the photos loaded
    status.clearStates();
    this.ed.beforeRun?.();
    topbar.setRunning(true);
    topbar.setStatus('Running…');
    const { summary, image } = await engine.run(graph, images, targets, this.ed.viewedNode?.(graph));
    if (generation !== this.generation) {
      image?.bitmap.close(); // cancelled by a new or opened document: nothing of it is shown
      return summary;
    }
    // Weights other than the ones the workflow was made with (its extra.disco.models): say so.
    const recorded = (view.graph.extra as { disco?: { models?: DiscoModelRef[] } } | undefined)?.disco?.models;
    for (const w of modelDrift(recorded, summary.models ?? [])) toast(`Other model weights: ${w}`, 'error', 15_000);
    if (summary.cancelled) image?.bitmap.close();
    else await this.ed.afterRun(graph, image);
    return summary;
  }

  /** A dropped or chosen file being loaded into the graph: a Run started meanwhile waits for it. */
  loadingFile<T>(load: Promise<T>): Promise<T> {
    const settled = load.then(() => undefined, () => undefined);
    this.loading.add(settled);
    void settled.then(() => this.loading.delete(settled));
    return load;
  }

  /**
   * A photo a node may run with, as soon as it is chosen, dropped or restored, with its pixels: kept
   * here (a Run need not read it from storage) and handed to the engine (a Run need not decode it).
   */
  offerPhoto(key: string, blob: Blob, pixels: PhotoPixels): void {
    this.photos.set(key, blob);
    this.ed.engine.givePhoto(key, blob, pixels);
  }

  /**
   * A new or opened document: the run in progress is cancelled and nothing it still reports reaches
   * the new graph; a run still reading its photos never starts; a queued rerun is dropped.
   */
  forget(): void {
    this.generation++;
    this.rerunQueued = false;
    this.ed.engine.drop();
  }

  /**
   * After an anchor edit: rerun if auto-run is on, once the edit's code is done (a microtask, so a
   * gesture that writes several times makes one run, and the run is on its way to the worker before
   * the browser renders the edit or the history check's autosave is written). No longer delay: a
   * click is one edit, and a run started while another is in progress replaces it.
   */
  scheduleRerun(): void {
    if (!this.ed.topbar.autoRun.checked || this.rerunQueued) return;
    this.rerunQueued = true;
    queueMicrotask(() => {
      if (!this.rerunQueued) return; // a run started since
      this.rerunQueued = false;
      void this.run();
    });
  }
}
