/**
 * The editor app: composes the litegraph canvas, the palette, the top bar, the engine worker, the
 * viewer, undo/redo and autosave with the modules that do the work (document/, input/, runner.ts).
 * Data flows one way: UI gestures edit the litegraph graph; a run converts it to the exec graph and
 * sends it to the worker; worker events update the StatusBoard.
 */
import type { LGraphNode } from '@comfyorg/litegraph';
import type { NodeDef } from '../runtime/engine/node-def.ts';
import { NodeRegistry } from '../runtime/engine/registry.ts';
import type { ExecGraph } from '../runtime/workflow/exec-format.ts';
import { Autosave } from './document/autosave.ts';
import { exportResultPng } from './document/export.ts';
import { DocumentLifecycle } from './document/lifecycle.ts';
import { PhotoImport } from './document/photos.ts';
import { formatMs } from './graph/node-draw.ts';
import { registerNodeDefs, type DiscoNode, type NodeUiHooks } from './graph/def-to-litegraph.ts';
import { configureLiteGraph, GraphCanvas } from './graph/graph-canvas.ts';
import { modelSetsOf } from './graph/model-sets.ts';
import { StatusBoard } from './graph/node-status.ts';
import { ChangeTracker } from './history/change-tracker.ts';
import { graphSnapshot, restoreSnapshot } from './history/graph-snapshot.ts';
import { installDrops } from './input/drops.ts';
import { installKeyMap } from './input/keys.ts';
import { pickFile } from './input/pick-file.ts';
import { EXAMPLES } from './panels/examples.ts';
import { showHint } from './panels/hint.ts';
import { SHOW_GRAPH } from './panels/layout.ts';
import { LibraryDialog } from './panels/library-dialog.ts';
import { ProblemsPanel, type Problem } from './panels/problems.ts';
import { renderPalette } from './panels/palette.ts';
import { toast } from './panels/toast.ts';
import { BackendPicker } from './panels/backend-picker.ts';
import { Topbar } from './panels/topbar.ts';
import { Runner } from './runner.ts';
import { routeViewerActions } from './viewer/action-router.ts';
import { DiverseGallery } from './viewer/diverse.ts';
import { ViewerController } from './viewer/viewer-controller.ts';
import { EngineClient } from './worker/engine-client.ts';
import type { RunSummary } from './worker/protocol.ts';

const AUTOSAVE_KEY = 'autosave';

export interface EditorOptions {
  /** Key of the autosaved graph in browser storage; null turns autosave and its restore off (embeds). */
  readonly autosaveKey?: string | null;
  /**
   * The example a first visit opens (nothing autosaved yet), with a one-line hint; it, or the graph
   * restored from autosave, runs at once (with Auto-run on). Unset (embeds) or 'none': the editor
   * starts empty, and a restored graph waits for Run.
   */
  readonly firstOpen?: string;
  /** Folds the palette: a first visit does when its example would not fit the graph pane legibly. */
  readonly foldPalette?: () => void;
}

export class EditorApp {
  readonly registry: NodeRegistry;
  readonly status = new StatusBoard();
  readonly view: GraphCanvas;
  readonly tracker: ChangeTracker;
  readonly topbar: Topbar;
  readonly backendPicker: BackendPicker;
  readonly engine: EngineClient;
  readonly viewer: ViewerController;
  readonly diverse: DiverseGallery;
  readonly library: LibraryDialog;
  readonly photos: PhotoImport;
  readonly documents: DocumentLifecycle;
  readonly runner: Runner;
  readonly problems: ProblemsPanel;
  /** Resolves once the autosaved graph (if any) is back on the canvas. */
  readonly restored: Promise<void>;
  /** The engine's backend once the worker reports it; `onBackend` is told too (the embed API). */
  backend: { name: string; fallbackReason?: string } | undefined;
  onBackend: ((b: { name: string; fallbackReason?: string }) => void) | undefined;
  /** Told when any run ends (from run(), the Run button or a node's "run to here"): the embed API. */
  onRunFinished: ((s: RunSummary) => void) | undefined;
  private checkQueued = false;

  constructor(readonly defs: readonly NodeDef[], root: { topbar: HTMLElement; palette: HTMLElement; canvas: HTMLCanvasElement; viewer?: HTMLElement }, opts: EditorOptions = {}) {
    this.registry = new NodeRegistry(defs);
    configureLiteGraph();
    registerNodeDefs(defs, this.nodeHooks());
    this.view = new GraphCanvas(root.canvas, { toast: (m) => toast(m, 'error') });
    this.topbar = new Topbar(root.topbar, {
      run: () => this.run(), cancel: () => this.engine.cancel(), open: () => this.documents.openFile(), save: () => this.save(),
      newGraph: () => this.documents.newGraph(), undo: () => this.tracker.undo(), redo: () => this.tracker.redo(),
      example: (name) => void this.openExample(name),
      saveToLibrary: () => void this.saveToLibrary(), library: () => void this.library.show(),
    }, EXAMPLES.map((e) => e.name));
    renderPalette(root.palette, defs, (type) => this.addNode(type));
    // On the page's grid, not in the graph pane: where that pane is small and folds away (narrow
    // embeds) the panel goes over the viewer (embed.css), and "Show node" unfolds it (panels/layout.ts).
    const stage = root.canvas.parentElement!;
    this.problems = new ProblemsPanel(stage.parentElement!, (id) => {
      const node = this.view.graph.getNodeById(Number(id));
      if (!node) return;
      stage.dispatchEvent(new Event(SHOW_GRAPH, { bubbles: true }));
      this.view.showNode(node);
    });
    this.status.onChange = (nodeId) => {
      this.view.redrawNode(nodeId);
      this.topbar.showProgress(() => this.status.runProgress());
    };
    this.engine = new EngineClient({
      ready: (backend, why, info) => {
        this.backendPicker.show(info, why ? `${backend} — WebGPU not used: ${info.reason}` : `${backend} — ${info.reason}`);
        this.backend = { name: backend, fallbackReason: why };
        this.onBackend?.(this.backend);
      },
      deviceLost: (reason, ort) => toast(`WebGPU stopped working: ${reason}${ort ? ` (models: ${ort})` : ''}.`, 'error', 10_000),
      event: (e) => this.status.apply(e),
      preview: (id, bitmap) => this.status.setThumb(id, bitmap),
      finished: (s) => this.finished(s),
    });
    this.backendPicker = new BackendPicker(this.topbar.backendSlot, this.engine.backendChoice, this.engine.backendFromUrl, (c) => this.engine.switchBackend(c));
    this.tracker = new ChangeTracker(() => graphSnapshot(this.view), (s) => restoreSnapshot(this.view, s), () => {
      autosave.write();
      this.viewer.syncAnchors();
      this.prepareModels();
    });
    const autosave = new Autosave(opts.autosaveKey === undefined ? AUTOSAVE_KEY : opts.autosaveKey, {
      ...this.parts(), restored: async () => {
        this.viewer.syncAnchors();
        this.prepareModels();
        await this.photos.restoreThumbs();
      },
    });
    const say = (m: string, kind?: 'info' | 'error') => toast(m, kind);
    this.runner = new Runner({
      ...this.parts(), topbar: this.topbar, engine: this.engine,
      viewedNode: (graph) => this.viewer.nodeToView(graph), afterRun: (graph, image) => this.viewer.afterRun(graph, image), beforeRun: () => this.problems.clear(),
    });
    this.viewer = new ViewerController({
      graph: this.view.graph, engine: this.engine, registry: this.registry,
      editedAnchors: () => this.runner.scheduleRerun(), toast: say,
    }, root.viewer ?? document.createElement('div'));
    this.diverse = new DiverseGallery({ engine: this.engine, run: (edit) => this.run(undefined, edit), toast: say }, this.viewer);
    routeViewerActions(this.viewer.el, {
      recolor: (a) => this.viewer.edit(a), move: (a) => this.viewer.edit(a), add: (a) => this.viewer.edit(a),
      remove: (a) => this.viewer.edit(a), lock: (a) => this.viewer.edit(a), stroke: (a) => this.viewer.edit(a),
      'show-slot': (a) => this.viewer.showSlot(a.slot),
      'pick-variant': (a) => this.diverse.pick(a.index),
      export: () => this.exportPng(),
      diverse: () => this.diverse.run(),
    });
    this.photos = new PhotoImport({ ...this.parts(), arrived: (key, blob, pixels) => this.runner.offerPhoto(key, blob, pixels) });
    this.documents = new DocumentLifecycle({
      ...this.parts(), photos: this.photos, resultNode: () => this.viewer.roles.result,
      forget: () => {
        this.runner.forget(); // the run in progress is cancelled: nothing it still sends is shown
        this.status.clearAll();
        this.viewer.reset();
        this.problems.clear();
        this.topbar.setStatus('Ready');
      },
    });
    this.library = new LibraryDialog({ open: (e) => void this.documents.openFromLibrary(e), toast: say });
    // Record an undo step after each gesture, once litegraph has applied it.
    const check = () => setTimeout(() => this.tracker.check());
    root.canvas.addEventListener('pointerup', check);
    document.addEventListener('keyup', check);
    installKeyMap(document, {
      view: this.view, tracker: this.tracker, run: () => void this.run(), save: () => this.save(),
      showSlot: (slot) => this.viewer.showSlot(slot), bindSlot: (slot, node) => this.viewer.bindSlot(slot, node),
    });
    installDrops(root.canvas, {
      view: this.view, registry: this.registry, defs, addNode: (type, pos) => this.addNode(type, pos),
      openText: (text) => this.openText(text), openWorkflow: (wf, message, notes, png) => this.documents.openWorkflow(wf, message, notes, png),
      setPhoto: (node, file) => this.setPhoto(node, file),
      dropped: (load) => this.runner.loadingFile(load),
    });
    this.restored = autosave.restore().then(() => this.openPage(opts.firstOpen, root.canvas.parentElement!, opts.foldPalette));
  }

  /**
   * What the page opens with: the restored graph, or on a first visit (nothing restored) the example
   * with a hint above it, fitted to the graph pane at a zoom where node text is at least 11 px (the
   * palette folds if that makes the graph fit); a restored graph comes back at the pan and zoom saved
   * with it. Either shows its result without a press on Run, when Auto-run is on.
   */
  private async openPage(example: string | undefined, stage: HTMLElement, foldPalette?: () => void): Promise<void> {
    if (!example || example === 'none') return;
    if (!this.view.graph._nodes.length) {
      await this.openExample(example);
      this.tracker.reset(); // opening the example is not an edit to undo
      const hint = showHint(stage, 'Drop a photo on the graph to colourise it · click an anchor in the viewer to recolour it');
      const reserve = () => (hint ? hint.getBoundingClientRect().bottom - stage.getBoundingClientRect().top : 0);
      if (!this.view.fitAll(reserve()) && foldPalette) {
        foldPalette();
        this.view.fitAll(reserve());
      }
    } else {
      this.view.showSavedView(); // the restored graph as it was last edited
    }
    if (this.topbar.autoRun.checked) void this.run();
  }

  addNode(type: string, pos?: [number, number]): LGraphNode {
    const node = this.view.addNode(type, pos);
    this.tracker.check();
    return node;
  }

  /** See Runner.run. */
  run(targets?: string[], edit?: (g: ExecGraph) => void): Promise<RunSummary | undefined> {
    return this.runner.run(targets, edit);
  }

  openText(text: string, message?: string): void {
    this.documents.openText(text, message);
  }

  openExample(name: string): Promise<void> {
    return this.documents.openExample(name);
  }

  save(): void {
    this.documents.save();
  }

  saveToLibrary(name?: string): Promise<string | undefined> {
    return this.documents.saveToLibrary(name);
  }

  setPhoto(node: DiscoNode, file: File, param?: string): Promise<void> {
    return this.runner.loadingFile(this.photos.set(node, file, param));
  }

  /** Downloads the result (or the viewed image) as PNG with the workflow embedded. */
  exportPng(): Promise<void> {
    return exportResultPng({ ...this.parts(), engine: this.engine, exportedNode: () => this.viewer.roles.result ?? this.viewer.viewedNode });
  }

  /**
   * Has the engine load the model sets the graph uses as soon as it has them (opened, restored,
   * edited), so the first Run does not wait for model loading.
   */
  private prepareModels(): void {
    this.engine.prepareModels(modelSetsOf(this.view.graph, this.registry));
  }

  /** The parts most modules work on. */
  private parts() {
    return { view: this.view, registry: this.registry, tracker: this.tracker, status: this.status };
  }

  /** One history check after whatever edits the current task makes (a gesture may write several params). */
  private checkSoon(): void {
    if (this.checkQueued) return;
    this.checkQueued = true;
    queueMicrotask(() => {
      this.checkQueued = false;
      this.tracker.check();
    });
  }

  private finished(s: RunSummary): void {
    this.topbar.setRunning(false);
    this.problems.show(this.failures(s));
    if (s.cancelled) this.topbar.setStatus('Cancelled', 'error');
    else if (s.error) this.topbar.setStatus('Run failed', 'error');
    else this.topbar.setStatus(`${s.ok ? 'Done' : 'Finished with errors'}: ${s.executed} ran, ${s.cached} cached, ${formatMs(s.ms)}`, s.ok ? 'ok' : 'error');
    this.onRunFinished?.(s);
  }

  /** Each node that failed in this run, and a failure of the run itself; never the nodes it did not reach. */
  private failures(s: RunSummary): Problem[] {
    const out: Problem[] = s.error && !s.cancelled ? [{ title: 'The run', message: s.error }] : [];
    for (const n of this.view.graph._nodes) {
      const st = this.status.get(n.id);
      if (st?.state === 'error') out.push({ nodeId: String(n.id), title: `${n.title} #${n.id}`, message: st.error ?? 'failed' });
    }
    return out;
  }

  private nodeHooks(): NodeUiHooks {
    return {
      status: this.status,
      paramChanged: () => this.checkSoon(),
      runTo: (node) => void this.run([String(node.id)]),
      view: (node) => void this.viewer.view(String(node.id)),
      pickImage: (node, param) => pickFile('image/*', (f) => this.setPhoto(node as DiscoNode, f, param)),
      editJson: (node, param) => {
        const d = node as DiscoNode;
        const text = prompt(`${param} (JSON)`, JSON.stringify(d.params()[param]));
        if (text === null) return;
        try {
          d.setParam(param, JSON.parse(text));
        } catch (e) {
          toast(`${param}: not valid JSON (${(e as Error).message})`, 'error');
        }
      },
    };
  }
}
