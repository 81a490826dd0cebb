/**
 * The editor app: wires the litegraph canvas, the palette, the top bar, the engine worker, the photo
 * store, undo/redo and autosave. Data flows one way: UI gestures edit the litegraph graph; a run
 * converts it to the exec graph and sends it to the worker; worker events update the StatusBoard.
 */
import { LGraphGroup, LGraphNode } from '@comfyorg/litegraph';
import type { NodeDef } from '../runtime/engine/node-def.ts';
import { NodeRegistry } from '../runtime/engine/registry.ts';
import { formatMs } from './graph/node-draw.ts';
import { IMAGE_PARAM, isDiscoNode, MODE, registerNodeDefs, type DiscoNode, type NodeUiHooks } from './graph/def-to-litegraph.ts';
import { configureLiteGraph, GraphCanvas } from './graph/graph-canvas.ts';
import { StatusBoard } from './graph/node-status.ts';
import { graphToExec, graphToWorkflow, loadIntoGraph, workflowText } from './graph/workflow-io.ts';
import { ChangeTracker } from './history/change-tracker.ts';
import { NODE_DRAG_TYPE, renderPalette } from './panels/palette.ts';
import { LibraryDialog } from './panels/library-dialog.ts';
import { toast } from './panels/toast.ts';
import { Topbar } from './panels/topbar.ts';
import { idbGet, idbPut, loadPhoto, storePhoto } from './storage/idb.ts';
import { saveToLibrary, thumbnailPng, type LibraryEntry } from './storage/library.ts';
import { EngineClient } from './worker/engine-client.ts';
import type { RunSummary } from './worker/protocol.ts';
import type { ExecGraph } from '../runtime/workflow/exec-format.ts';
import { setParam } from '../runtime/workflow/build.ts';
import { loadWorkflow } from '../runtime/workflow/load.ts';
import type { Workflow } from '../runtime/workflow/schema.ts';
import { EXAMPLES, examplePhotoUrl } from './panels/examples.ts';
import { download, pngWithWorkflow, workflowInPng } from './storage/png-export.ts';
import { DiverseGallery } from './viewer/diverse.ts';
import { ViewerController } from './viewer/viewer-controller.ts';
import type { ViewerActionEvent } from './viewer/viewer-events.ts';

const AUTOSAVE_KEY = 'autosave';

export interface EditorOptions {
  /** Key of the autosaved graph in browser storage; null turns autosave and its restore off (embeds). */
  readonly autosaveKey?: string | null;
}

export class EditorApp {
  readonly registry: NodeRegistry;
  readonly status = new StatusBoard();
  readonly view: GraphCanvas;
  readonly tracker: ChangeTracker;
  readonly topbar: Topbar;
  readonly engine: EngineClient;
  readonly viewer: ViewerController;
  readonly diverse: DiverseGallery;
  readonly library: LibraryDialog;
  /** Resolves once the autosaved graph (if any) is back on the canvas. */
  readonly restored: Promise<void>;
  /** The engine's backend once the worker reports it; `onBackend` is told too (the embed API). */
  backend: { name: string; fallbackReason?: string } | undefined;
  onBackend: ((b: { name: string; fallbackReason?: string }) => void) | undefined;
  /** Told when any run ends (from run(), the Run button or a node's "run to here"): the embed API. */
  onRunFinished: ((s: RunSummary) => void) | undefined;
  private autosaving = false;
  private autosaveAgain = false;
  private rerunTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly autosaveKey: string | null;

  constructor(readonly defs: readonly NodeDef[], root: { topbar: HTMLElement; palette: HTMLElement; canvas: HTMLCanvasElement; viewer?: HTMLElement }, opts: EditorOptions = {}) {
    this.autosaveKey = opts.autosaveKey === undefined ? AUTOSAVE_KEY : opts.autosaveKey;
    this.registry = new NodeRegistry(defs);
    configureLiteGraph();
    registerNodeDefs(defs, this.nodeHooks());
    this.view = new GraphCanvas(root.canvas, { toast: (m) => toast(m, 'error') });
    this.topbar = new Topbar(root.topbar, {
      run: () => this.run(), cancel: () => this.engine.cancel(), open: () => this.openFile(), save: () => this.save(),
      newGraph: () => this.newGraph(), undo: () => this.tracker.undo(), redo: () => this.tracker.redo(),
      example: (name) => void this.openExample(name),
      saveToLibrary: () => void this.saveToLibrary(), library: () => void this.library.show(),
    }, EXAMPLES.map((e) => e.name));
    renderPalette(root.palette, defs, (type) => this.addNode(type));
    this.status.onChange = () => {
      this.view.redraw();
      const p = this.status.runProgress();
      this.topbar.setProgress(p.done, p.total);
    };
    this.engine = new EngineClient({
      ready: (backend, why) => {
        this.topbar.setBackend(backend, why ? `${backend} — WebGPU not used: ${why}` : backend);
        this.backend = { name: backend, fallbackReason: why };
        this.onBackend?.(this.backend);
      },
      deviceLost: (reason, ort) => toast(`WebGPU stopped working: ${reason}${ort ? ` (models: ${ort})` : ''}.`, 'error', 10_000),
      event: (e) => this.status.apply(e),
      preview: (id, bitmap) => this.status.setThumb(id, bitmap),
      finished: (s) => {
        this.topbar.setRunning(false);
        if (s.cancelled) this.topbar.setStatus('Cancelled', 'error');
        else if (s.error) {
          this.topbar.setStatus('Run failed', 'error');
          toast(s.error, 'error', 8000);
        } else this.topbar.setStatus(`${s.ok ? 'Done' : 'Finished with errors'}: ${s.executed} ran, ${s.cached} cached, ${formatMs(s.ms)}`, s.ok ? 'ok' : 'error');
        this.onRunFinished?.(s);
      },
    });
    this.tracker = new ChangeTracker(() => this.snapshot(), (s) => this.restore(s), () => {
      this.scheduleAutosave();
      this.viewer.syncAnchors();
    });
    const say = (m: string, kind?: 'info' | 'error') => toast(m, kind);
    this.viewer = new ViewerController({
      graph: this.view.graph, engine: this.engine, execGraph: () => graphToExec(this.view.graph, this.registry).graph,
      commit: () => this.tracker.check(), editedAnchors: () => this.scheduleRerun(), toast: say,
    }, root.viewer ?? document.createElement('div'));
    this.diverse = new DiverseGallery({ engine: this.engine, run: (edit) => this.run(undefined, edit), toast: say }, this.viewer);
    this.viewer.el.addEventListener('viewer-action', (e) => {
      const { action } = e as ViewerActionEvent;
      if (action.type === 'export') void this.exportPng();
      else if (action.type === 'diverse') void this.diverse.run();
    });
    this.library = new LibraryDialog({ open: (e) => void this.openFromLibrary(e), toast: say });
    this.listen(root.canvas);
    this.restored = this.restoreAutosave();
  }

  addNode(type: string, pos?: [number, number]): LGraphNode {
    const node = this.view.addNode(type, pos);
    this.tracker.check();
    return node;
  }

  /**
   * Runs the whole graph, or only what `targets` need; resolves with the summary (undefined: nothing
   * to run). `edit` may change the exec graph on its way to the worker (the canvas stays as it is).
   */
  async run(targets?: string[], edit?: (g: ExecGraph) => void): Promise<RunSummary | undefined> {
    clearTimeout(this.rerunTimer);
    this.tracker.check();
    const { graph, missingTypes } = graphToExec(this.view.graph, this.registry);
    if (missingTypes.length) toast(`Skipping nodes of unknown types: ${missingTypes.join(', ')}`, 'error');
    if (!Object.keys(graph).length) return void toast('Nothing to run: add some nodes first.');
    edit?.(graph);
    const images: Record<string, Blob> = {};
    for (const node of Object.values(graph)) {
      const def = this.registry.get(node.type);
      const key = def?.params[IMAGE_PARAM]?.kind === 'string' ? node.inputs[IMAGE_PARAM] : undefined;
      if (typeof key === 'string' && key && !images[key]) {
        const blob = await loadPhoto(key);
        if (blob) images[key] = blob;
      }
    }
    this.status.clearStates();
    this.topbar.setRunning(true);
    this.topbar.setStatus('Running…');
    const summary = await this.engine.run(graph, images, targets);
    if (!summary.cancelled) await this.viewer.afterRun();
    return summary;
  }

  /** After an anchor edit: rerun in 400 ms (a burst of edits makes one run) if auto-run is on. */
  scheduleRerun(): void {
    clearTimeout(this.rerunTimer);
    if (this.topbar.autoRun.checked) this.rerunTimer = setTimeout(() => void this.run(), 400);
  }

  /** Opens an example workflow; Load Image nodes get the photo already loaded, else the bundled example photo. */
  async openExample(name: string): Promise<void> {
    const ex = EXAMPLES.find((e) => e.name === name);
    if (!ex) return toast(`No example named ${name}`, 'error');
    const isKey = (k: unknown): k is string => typeof k === 'string' && /^[0-9a-f]{64}$/.test(k);
    const current = this.view.graph._nodes.filter(isDiscoNode).map((n) => n.params()[IMAGE_PARAM]).find(isKey);
    let { workflow } = loadWorkflow(ex.text, { registry: this.registry });
    for (const node of workflow.nodes) {
      const ref = (node.properties?.params as Record<string, unknown> | undefined)?.[IMAGE_PARAM];
      if (node.type !== 'disco/load-image' || typeof ref !== 'string' || isKey(ref)) continue;
      const url = current ? undefined : examplePhotoUrl(ref);
      const key = current ?? (url ? await storePhoto(await (await fetch(url)).blob()) : undefined);
      if (key) workflow = setParam(workflow, node.id, IMAGE_PARAM, key, this.registry);
    }
    this.openWorkflow(workflow, `Example ${name} opened`);
    await this.restorePhotoThumbs();
  }

  /** Downloads the result (or the viewed image) as PNG with the workflow embedded. */
  async exportPng(): Promise<void> {
    const nodeId = this.viewer.roles.result ?? this.viewer.viewedNode;
    if (!nodeId) return toast('Run a workflow with a result first.', 'error');
    try {
      const r = await this.engine.inspect({ kind: 'image', nodeId });
      if (r.kind !== 'image' || r.unchanged) return;
      const blob = await pngWithWorkflow(r.bitmap, graphToWorkflow(this.view.graph, this.registry), graphToExec(this.view.graph, this.registry).graph);
      download(blob, 'disco-result.png');
    } catch (e) {
      toast(`Export failed: ${(e as Error).message}`, 'error');
    }
  }

  private openWorkflow(workflow: Workflow, message: string, notes: readonly string[] = []): void {
    loadIntoGraph(this.view.graph, workflow, this.registry);
    this.tracker.check();
    this.view.fitAll();
    toast(notes.length ? `${message} (${notes.join('; ')})` : message);
    this.reportLoadProblems();
  }

  /** After opening a file: invalid parameter values (replaced by defaults, shown on their nodes) and unknown node types. */
  private reportLoadProblems(): void {
    const bad = this.view.graph._nodes.filter(isDiscoNode).filter((n) => n.paramProblems.size);
    if (bad.length) {
      const list = bad.map((n) => `${n.title} #${n.id}: ${[...n.paramProblems.keys()].join(', ')}`).join('; ');
      toast(`Invalid parameter values replaced by defaults (see the nodes): ${list}`, 'error', 10_000);
    }
    const missing = [...new Set(this.view.graph._nodes.filter((n) => !this.registry.has(n.type ?? '')).map((n) => n.type))];
    if (missing.length) toast(`This workflow uses node types that are not installed: ${missing.join(', ')}. They are kept as placeholders and skipped when running.`, 'error', 10_000);
  }

  /** Stores a photo and points a node's image parameter at it; the photo shows as its thumbnail at once. */
  async setPhoto(node: DiscoNode, file: File, param = IMAGE_PARAM): Promise<void> {
    // A file that is no picture (or a damaged one) is refused before it replaces the node's photo;
    // the node says why until a good photo is chosen.
    const refuse = (why: string) => {
      node.paramProblems.set(param, why);
      this.view.redraw();
      toast(why, 'error', 8000);
    };
    if (!file.type.startsWith('image/')) return refuse(`${file.name} is not an image (${file.type || 'unknown type'}): choose a PNG, JPEG or WebP photo`);
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch (e) {
      return refuse(`${file.name} cannot be read as a picture (${file.size} bytes; ${(e as Error).message || 'the browser could not decode it'}): the file is damaged or not really ${file.type}`);
    }
    const key = await storePhoto(file);
    node.setParam(param, key);
    this.status.setThumb(String(node.id), bitmap);
  }

  /**
   * Asks for a name and keeps the graph in the browser's library, with a thumbnail of the result
   * (the result node's preview, else the last node with one). Resolves with the entry's id.
   */
  async saveToLibrary(name?: string): Promise<string | undefined> {
    const chosen = name ?? prompt('Save to library as:', 'My workflow');
    if (chosen === null || !chosen.trim()) return undefined;
    try {
      const text = workflowText(this.view.graph, this.registry);
      const onCanvas = this.view.graph._nodes.map((n) => String(n.id)).reverse();
      const result = this.viewer.roles.result;
      const ids = result && onCanvas.includes(result) ? [result, ...onCanvas] : onCanvas;
      const bitmap = ids.map((id) => this.status.get(id)?.thumb).find((b) => b);
      const entry = await saveToLibrary(chosen, text, bitmap ? await thumbnailPng(bitmap) : undefined);
      toast(`Saved "${entry.name}" to the library${bitmap ? '' : ' (no result yet, so no thumbnail)'}`);
      return entry.id;
    } catch (e) {
      toast(`Could not save to the library: ${(e as Error).message}`, 'error', 8000);
      return undefined;
    }
  }

  private async openFromLibrary(entry: LibraryEntry): Promise<void> {
    this.openText(entry.workflow, `Opened "${entry.name}" from the library`);
    await this.restorePhotoThumbs();
  }

  save(): void {
    const text = workflowText(this.view.graph, this.registry);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    a.download = 'workflow.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  openText(text: string, message = 'Workflow opened'): void {
    try {
      const { notes } = loadIntoGraph(this.view.graph, text, this.registry);
      this.tracker.check();
      this.view.fitAll();
      toast(notes.length ? `${message} (${notes.join('; ')})` : message);
      this.reportLoadProblems();
    } catch (e) {
      toast(`Cannot open this workflow: ${(e as Error).message}`, 'error', 8000);
    }
  }

  private openFile(): void {
    pickFile('.json,application/json', async (f) => this.openText(await f.text()));
  }

  private newGraph(): void {
    this.view.graph.clear();
    this.tracker.check();
    this.view.redraw();
  }

  private nodeHooks(): NodeUiHooks {
    return {
      status: this.status,
      paramChanged: () => queueMicrotask(() => this.tracker.check()),
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

  /** The graph as comparable text; the view (extra.ds) is not an edit. */
  private snapshot(): string {
    const wf = this.view.graph.asSerialisable() as { extra?: Record<string, unknown> };
    if (wf.extra) delete wf.extra.ds;
    return JSON.stringify(wf);
  }

  private restore(state: string): void {
    const ds = this.view.graph.extra.ds;
    this.view.graph.configure(JSON.parse(state));
    if (ds) this.view.graph.extra.ds = ds;
    this.view.redraw();
  }

  /**
   * Writes the graph to browser storage right after each change (no delay: a crash or a killed tab
   * must not lose the last edit). Writes never overlap; changes made during one are written next.
   */
  private scheduleAutosave(): void {
    const key = this.autosaveKey;
    if (key === null) return;
    if (this.autosaving) {
      this.autosaveAgain = true;
      return;
    }
    this.autosaving = true;
    idbPut('state', key, workflowText(this.view.graph, this.registry))
      .catch((e) => toast(`Autosave failed: ${(e as Error).message}`, 'error'))
      .finally(() => {
        this.autosaving = false;
        if (this.autosaveAgain) {
          this.autosaveAgain = false;
          this.scheduleAutosave();
        }
      });
  }

  private async restoreAutosave(): Promise<void> {
    const text = this.autosaveKey === null ? undefined : await idbGet<string>('state', this.autosaveKey).catch(() => undefined);
    if (!text) return;
    try {
      loadIntoGraph(this.view.graph, text, this.registry);
      this.tracker.reset();
      this.viewer.syncAnchors();
      await this.restorePhotoThumbs();
    } catch (e) {
      toast(`The autosaved graph could not be restored: ${(e as Error).message}`, 'error', 8000);
    }
    this.view.redraw();
  }

  /** Nodes whose photo is stored show it again after a reload. */
  private async restorePhotoThumbs(): Promise<void> {
    for (const node of this.view.graph._nodes) {
      if (!isDiscoNode(node)) continue;
      const key = node.params()[IMAGE_PARAM];
      const blob = typeof key === 'string' && key ? await loadPhoto(key) : undefined;
      if (blob) this.status.setThumb(String(node.id), await createImageBitmap(blob, { imageOrientation: 'from-image' }));
    }
  }

  private listen(canvas: HTMLCanvasElement): void {
    // Record an undo step after each gesture, once litegraph has applied it.
    const check = () => setTimeout(() => this.tracker.check());
    canvas.addEventListener('pointerup', check);
    document.addEventListener('keyup', check);
    document.addEventListener('keydown', (e) => this.onKey(e));
    canvas.addEventListener('dragover', (e) => e.preventDefault());
    canvas.addEventListener('drop', (e) => void this.onDrop(e));
  }

  private onKey(e: KeyboardEvent): void {
    const t = e.target as HTMLElement;
    if (t.closest('input, textarea, select, .litegraph .graphdialog')) return;
    const mod = e.ctrlKey || e.metaKey;
    const digit = /^Digit([1-9])$/.exec(e.code);
    if (digit && !mod && !e.altKey) {
      e.preventDefault();
      if (e.shiftKey) this.viewer.bindSlot(Number(digit[1]), this.selectedNodes()[0]);
      else this.viewer.showSlot(Number(digit[1]));
      return;
    }
    if (!mod) return;
    const k = e.key.toLowerCase();
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (k === 'enter') {
      handled();
      void this.run();
    } else if (k === 'z' && !e.shiftKey) {
      handled();
      this.tracker.undo();
    } else if ((k === 'z' && e.shiftKey) || k === 'y') {
      handled();
      this.tracker.redo();
    } else if (k === 's') {
      handled();
      this.save();
    } else if (k === 'b' || k === 'm') {
      handled();
      const mode = k === 'b' ? MODE.bypass : MODE.mute;
      for (const n of this.selectedNodes()) n.changeMode(n.mode === mode ? MODE.always : mode);
      this.tracker.check();
      this.view.redraw();
    } else if (k === 'g') {
      handled();
      const nodes = this.selectedNodes();
      if (!nodes.length) return toast('Select nodes to group first.');
      const group = new LGraphGroup('Group');
      group.resizeTo(nodes);
      this.view.graph.add(group);
      this.tracker.check();
    }
  }

  private selectedNodes(): LGraphNode[] {
    return [...this.view.canvas.selectedItems].filter((i): i is LGraphNode => i instanceof LGraphNode);
  }

  private async onDrop(e: DragEvent): Promise<void> {
    e.preventDefault();
    const dt = e.dataTransfer;
    if (!dt) return;
    const pos = this.view.toGraphPos(e);
    const type = dt.getData(NODE_DRAG_TYPE);
    if (type) {
      this.addNode(type, pos);
      return;
    }
    const file = dt.files[0];
    if (!file) return;
    if (file.type === 'application/json' || file.name.endsWith('.json')) return this.openText(await file.text());
    let workflowError: Error | undefined;
    try {
      const embedded = await workflowInPng(file, this.registry);
      if (embedded) return this.openWorkflow(embedded.workflow, `Workflow opened from ${file.name}`, embedded.notes);
    } catch (err) {
      workflowError = err as Error;
    }
    // A picture that decodes has a broken workflow in it; one that does not is a damaged file (below).
    if (workflowError && await decodes(file)) return toast(`${file.name} carries a workflow that cannot be opened: ${workflowError.message}`, 'error', 8000);
    if (!file.type.startsWith('image/')) return toast(`Cannot open ${file.name}: drop a workflow .json or a photo.`, 'error');
    // A photo goes into the Load Image node under the cursor, else the graph's first one, else a new one.
    const loads = (n: LGraphNode | null | undefined): n is DiscoNode => isDiscoNode(n) && n.def.params[IMAGE_PARAM]?.kind === 'string';
    let target: LGraphNode | null | undefined = this.view.nodeAt(e);
    if (!loads(target)) target = this.view.graph._nodes.find(loads);
    if (!loads(target)) {
      const loader = this.defs.find((d) => d.params[IMAGE_PARAM]?.kind === 'string');
      if (!loader) return toast('No node type loads photos yet.', 'error');
      target = this.view.addNode(loader.id, pos);
    }
    await this.setPhoto(target as DiscoNode, file);
  }
}

async function decodes(file: Blob): Promise<boolean> {
  try {
    (await createImageBitmap(file)).close();
    return true;
  } catch {
    return false;
  }
}

function pickFile(accept: string, then: (f: File) => void | Promise<void>): void {
  for (const old of document.querySelectorAll('.hidden-file-input')) old.remove(); // a cancelled pick
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = accept;
  input.className = 'hidden-file-input';
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    input.remove();
    if (f) void then(f);
  });
  document.body.append(input); // in the DOM so tests (and some browsers) can reach it
  input.click();
}
