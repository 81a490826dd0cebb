/**
 * `<disco-editor>`: the whole node editor (canvas, palette, top bar, engine worker) as one element,
 * with a small API for pages that embed it:
 *
 *   const ed = document.querySelector('disco-editor');
 *   await ed.loadWorkflow(json);        // a workflow file's JSON (text or object)
 *   await ed.loadImage(blobOrBitmap);   // the photo every Load Image node uses
 *   await ed.run();                     // resolves when the result is ready, rejects with the reason
 *   const png = await ed.getResult();   // PNG Blob of the result, the workflow embedded
 *
 * It wraps the same EditorApp the standalone page uses. It renders into its own light DOM: the
 * editor's stylesheet and litegraph address the page's DOM (ids like #topbar, #toasts), so use one
 * per page.
 *
 * @fires disco-ready - DiscoReadyEvent: the engine is up, with its backend
 * @fires disco-progress - DiscoProgressEvent: whole-run progress
 * @fires disco-result - DiscoResultEvent: a run produced a result (whichever control started it)
 * @fires disco-error - DiscoErrorEvent: a run failed or was cancelled
 */
import { html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { allNodes } from '../../nodes/index.ts';
import { imageParam } from '../../runtime/engine/roles.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';
import { toExecGraph } from '../../runtime/workflow/to-exec.ts';
import { EditorApp } from '../app.ts';
import { isDiscoNode, MODE, type DiscoNode } from '../graph/def-to-litegraph.ts';
import { graphToWorkflow, loadIntoGraph } from '../graph/workflow-io.ts';
import { setupLayout } from '../panels/layout.ts';
import { storePhoto } from '../storage/idb.ts';
import type { RunSummary } from '../worker/protocol.ts';
import { DiscoErrorEvent, DiscoProgressEvent, DiscoReadyEvent, DiscoResultEvent } from './events.ts';
import { resultPng, toImageBlob } from './image-blobs.ts';
import '../styles.css';
import './embed.css';

/** A failed run: the message, and each failed node's error by node id. */
export class DiscoRunError extends Error {
  constructor(message: string, readonly nodeErrors: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'DiscoRunError';
  }
}

@customElement('disco-editor')
export class DiscoEditor extends LitElement {
  /** Browser-storage key the graph autosaves under (and is restored from). Unset: no autosave. */
  @property({ attribute: 'autosave-key' }) autosaveKey: string | null = null;

  /** Resolves once the editor is built (and an autosaved graph restored, if `autosave-key` is set). */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private app: EditorApp | undefined;
  private imageKey: string | undefined;
  /** The result of the last finished run (rejected: it failed or had no result). */
  private latest: Promise<Blob> | undefined;
  private latestSummary: RunSummary | undefined;
  private finishWaiters: (() => void)[] = [];
  private lastProgress = '';

  constructor() {
    super();
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /** The engine's backend (e.g. "WebGPU (SwiftShader)" or "CPU"), once it has started. */
  get backend(): { name: string; fallbackReason?: string } | undefined {
    return this.app?.backend;
  }

  /** The graph on the canvas as a workflow object (what a workflow file holds). */
  get workflow(): Workflow {
    const app = this.need();
    return graphToWorkflow(app.view.graph, app.registry);
  }

  /** The EditorApp inside, for pages that need more than this API. */
  get editor(): EditorApp | undefined {
    return this.app;
  }

  /** Replaces the graph with a workflow (JSON text or a parsed object). Rejects if it is not a valid workflow. */
  async loadWorkflow(json: string | object): Promise<void> {
    await this.ready;
    const app = this.need();
    const text = typeof json === 'string' ? json : JSON.stringify(json);
    try {
      loadIntoGraph(app.view.graph, text, app.registry);
    } catch (e) {
      throw new Error(`cannot load this workflow: ${(e as Error).message}`);
    }
    await this.applyImage();
    app.tracker.check();
    app.viewer.syncAnchors();
    app.view.fitAll();
  }

  /** Sets the photo every Load Image node reads (now, and in workflows loaded later). */
  async loadImage(image: Blob | ImageBitmap): Promise<void> {
    const blob = await toImageBlob(image);
    await this.ready;
    this.imageKey = await storePhoto(blob);
    await this.applyImage(blob);
    this.need().tracker.check();
  }

  /** Runs the whole graph. Resolves when the result PNG is ready; rejects with a DiscoRunError. */
  async run(): Promise<void> {
    await this.ready;
    const summary = await this.need().run();
    if (!summary) throw new DiscoRunError('nothing to run: load a workflow first');
    if (summary !== this.latestSummary) throw new DiscoRunError('the run was cancelled: another run replaced it');
    await this.latest;
  }

  /** Stops the current run (run() then rejects). */
  cancel(): void {
    this.app?.engine.cancel();
  }

  /** The last run's result: a PNG of the result image with the workflow embedded. Waits for a run in progress. */
  async getResult(): Promise<Blob> {
    await this.ready;
    if (this.need().engine.running) await new Promise<void>((resolve) => this.finishWaiters.push(resolve));
    if (!this.latest) throw new Error('no result yet: call run() first');
    return this.latest;
  }

  protected override createRenderRoot(): HTMLElement {
    return this; // light DOM: see the file comment
  }

  override render() {
    return html`<div id="app" class="disco-embed">
      <header id="topbar"></header>
      <aside id="palette"></aside>
      <main id="stage"><canvas id="graph-canvas" tabindex="0"></canvas></main>
      <section id="viewer"></section>
    </div>`;
  }

  protected override firstUpdated(): void {
    if (!document.getElementById('toasts')) {
      const toasts = Object.assign(document.createElement('div'), { id: 'toasts' });
      toasts.setAttribute('aria-live', 'polite');
      document.body.append(toasts);
    }
    const app = new EditorApp(allNodes, {
      topbar: this.querySelector<HTMLElement>('#topbar')!,
      palette: this.querySelector<HTMLElement>('#palette')!,
      canvas: this.querySelector<HTMLCanvasElement>('#graph-canvas')!,
      viewer: this.querySelector<HTMLElement>('#viewer')!,
    }, { autosaveKey: this.autosaveKey });
    setupLayout(this.querySelector<HTMLElement>('#app')!, this.querySelector<HTMLElement>('#palette')!, this.querySelector<HTMLElement>('#stage')!);
    app.onBackend = (b) => this.dispatchEvent(new DiscoReadyEvent(b.name, b.fallbackReason));
    const redraw = app.status.onChange;
    app.status.onChange = () => {
      redraw();
      this.reportProgress();
    };
    app.onRunFinished = (s) => this.finished(s);
    this.app = app;
    void app.restored.then(() => this.markReady());
  }

  private need(): EditorApp {
    if (!this.app) throw new Error('<disco-editor> is not connected to a document yet');
    return this.app;
  }

  /** Points every node with an image-file parameter (Load Image) at the chosen photo; a reference loader keeps its own. */
  private async applyImage(blob?: Blob): Promise<void> {
    const app = this.need();
    if (!this.imageKey) return;
    const loaders = app.view.graph._nodes.filter((n): n is DiscoNode => isDiscoNode(n) && imageParam(n.def) !== undefined && n.def.role !== 'reference');
    const thumb = blob ? await app.photos.offer(this.imageKey, blob) : undefined;
    for (const node of loaders) {
      const param = imageParam(node.def)!;
      if (node.params()[param] !== this.imageKey) node.setParam(param, this.imageKey);
      if (thumb) app.status.setThumb(String(node.id), loaders.length > 1 ? await createImageBitmap(thumb) : thumb);
    }
    if (thumb && loaders.length !== 1) thumb.close();
  }

  private reportProgress(): void {
    if (!this.app?.engine.running) return;
    const { done, total } = this.app.status.runProgress();
    const key = `${done}/${total}`;
    if (key === this.lastProgress || !total) return;
    this.lastProgress = key;
    this.dispatchEvent(new DiscoProgressEvent(done, total));
  }

  private finished(s: RunSummary): void {
    this.lastProgress = '';
    this.latestSummary = s;
    this.latest = this.collect(s);
    this.latest.catch(() => undefined); // reported as an event; callers of run/getResult see it too
    const waiters = this.finishWaiters;
    this.finishWaiters = [];
    for (const w of waiters) w();
  }

  /** Turns a finished run into its result PNG, dispatching disco-result or disco-error. */
  private async collect(s: RunSummary): Promise<Blob> {
    const app = this.need();
    const nodeErrors: Record<string, string> = {};
    for (const n of app.view.graph._nodes) {
      const error = app.status.get(n.id)?.error;
      if (error) nodeErrors[String(n.id)] = error;
    }
    const fail = (message: string) => {
      this.dispatchEvent(new DiscoErrorEvent(message, nodeErrors));
      return new DiscoRunError(message, nodeErrors);
    };
    if (s.cancelled) throw fail('the run was cancelled');
    if (s.error) throw fail(s.error);
    if (!s.ok) throw fail(`the run finished with errors: ${Object.entries(nodeErrors).map(([id, e]) => `node ${id}: ${e}`).join('; ') || 'see the nodes'}`);
    const nodeId = this.resultNodeId();
    if (!nodeId) throw fail('the workflow has no Save Image (or Preview Image) node, so a run has no result');
    const state = app.status.get(nodeId)?.state;
    // A partial run ("run to here") that did not reach the result node: no result, and no error either.
    if (state !== 'done' && state !== 'cached') throw new DiscoRunError(`node ${nodeId}, the result, did not run in this run`);
    let answer;
    try {
      answer = await app.engine.inspect({ kind: 'image', nodeId });
    } catch (e) {
      throw fail(`cannot read the result of node ${nodeId}: ${(e as Error).message}`);
    }
    if (!('bitmap' in answer)) throw fail(`node ${nodeId} returned no image`);
    const workflow = graphToWorkflow(app.view.graph, app.registry);
    const png = await resultPng(answer.bitmap, workflow, toExecGraph(workflow, app.registry).graph);
    answer.bitmap.close();
    this.dispatchEvent(new DiscoResultEvent(png, answer.width, answer.height));
    return png;
  }

  /** The node whose image is the result: the first active 'result' node (Save Image), else the first output node showing an image. */
  private resultNodeId(): string | undefined {
    const nodes = this.need().view.graph._nodes
      .filter((n): n is DiscoNode => isDiscoNode(n) && n.mode === MODE.always)
      .sort((a, b) => Number(a.id) - Number(b.id));
    const save = nodes.find((n) => n.def.role === 'result');
    const shown = nodes.find((n) => n.def.isOutput && Object.values(n.def.inputs).some((p) => p.type.name === 'IMAGE'));
    return (save ?? shown) && String((save ?? shown)!.id);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'disco-editor': DiscoEditor;
  }
}
