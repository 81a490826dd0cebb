/**
 * The document on the canvas: open (JSON text or file, a workflow from a PNG, an example, a library
 * entry), new, save to a file or to the browser's library. Each open replaces the graph, records one
 * undo step, fits the view and reports what the file got wrong.
 */
import { isDiscoNode } from '../graph/def-to-litegraph.ts';
import type { GraphCanvas } from '../graph/graph-canvas.ts';
import type { StatusBoard } from '../graph/node-status.ts';
import { loadIntoGraph, workflowText } from '../graph/workflow-io.ts';
import type { ChangeTracker } from '../history/change-tracker.ts';
import { pickFile } from '../input/pick-file.ts';
import { EXAMPLES, examplePhotoUrl } from '../panels/examples.ts';
import { toast } from '../panels/toast.ts';
import { loadPhoto, storePhoto } from '../storage/idb.ts';
import { saveToLibrary, thumbnailPng, type LibraryEntry } from '../storage/library.ts';
import type { NodeRegistry } from '../../runtime/engine/registry.ts';
import { imageParam } from '../../runtime/engine/roles.ts';
import { setParam } from '../../runtime/workflow/build.ts';
import { loadWorkflow } from '../../runtime/workflow/load.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';
import type { PhotoImport } from './photos.ts';

export interface DocumentHost {
  readonly view: GraphCanvas;
  readonly registry: NodeRegistry;
  readonly tracker: ChangeTracker;
  readonly status: StatusBoard;
  readonly photos: PhotoImport;
  /** The result node of the last run, if any (its preview is the library thumbnail). */
  resultNode(): string | undefined;
  /** A new or opened graph: forget the previous one's run states, previews, problems and viewer. */
  forget(): void;
}

export class DocumentLifecycle {
  constructor(private readonly ed: DocumentHost) {}

  openText(text: string, message = 'Workflow opened'): void {
    try {
      const { notes } = loadIntoGraph(this.ed.view.graph, text, this.ed.registry);
      this.opened(message, notes);
    } catch (e) {
      toast(`Cannot open this workflow: ${(e as Error).message}`, 'error', 8000);
    }
  }

  /**
   * Opens a workflow object. `fromPng`: the PNG it came from (a result). A result keeps its photo's
   * lightness exactly, so when the photo it names is not in this browser's storage (a PNG made
   * elsewhere), the PNG itself becomes the Load Image input and the user is told.
   */
  async openWorkflow(workflow: Workflow, message: string, notes: readonly string[] = [], fromPng?: File): Promise<void> {
    loadIntoGraph(this.ed.view.graph, workflow, this.ed.registry);
    this.opened(message, notes);
    if (fromPng) await this.usePngWhereThePhotoIsMissing(fromPng);
    await this.ed.photos.restoreThumbs();
  }

  openFile(): void {
    pickFile('.json,application/json', async (f) => this.openText(await f.text()));
  }

  /**
   * Opens an example workflow; its image parameters get the photo already loaded, else the bundled
   * example photo. A reference loader (role 'reference') gets the reference already loaded, else its
   * own bundled photo: never the photo to colourise.
   */
  async openExample(name: string): Promise<void> {
    const ex = EXAMPLES.find((e) => e.name === name);
    if (!ex) return toast(`No example named ${name}`, 'error');
    const isKey = (k: unknown): k is string => typeof k === 'string' && /^[0-9a-f]{64}$/.test(k);
    const isRef = (role: string | undefined) => role === 'reference';
    const loaded = (ref: boolean) => this.ed.view.graph._nodes.filter(isDiscoNode).filter((n) => isRef(n.def.role) === ref).map((n) => n.params()[imageParam(n.def) ?? '']).find(isKey);
    const current = { photo: loaded(false), reference: loaded(true) };
    let { workflow } = loadWorkflow(ex.text, { registry: this.ed.registry });
    for (const node of workflow.nodes) {
      const def = this.ed.registry.get(node.type);
      const param = imageParam(def);
      const ref = param && (node.properties?.params as Record<string, unknown> | undefined)?.[param];
      if (!param || typeof ref !== 'string' || isKey(ref)) continue;
      const have = isRef(def?.role) ? current.reference : current.photo;
      const url = have ? undefined : examplePhotoUrl(ref);
      const key = have ?? (url ? await storePhoto(await (await fetch(url)).blob()) : undefined);
      if (key) workflow = setParam(workflow, node.id, param, key, this.ed.registry);
    }
    await this.openWorkflow(workflow, `Example ${name} opened`);
  }

  async openFromLibrary(entry: LibraryEntry): Promise<void> {
    this.openText(entry.workflow, `Opened "${entry.name}" from the library`);
    await this.ed.photos.restoreThumbs();
  }

  newGraph(): void {
    this.ed.forget();
    this.ed.view.graph.clear();
    this.ed.tracker.check();
    this.ed.view.redraw();
  }

  /** Downloads the graph as workflow.json. */
  save(): void {
    const text = workflowText(this.ed.view.graph, this.ed.registry);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    a.download = 'workflow.json';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  /**
   * Asks for a name and keeps the graph in the browser's library, with a thumbnail of the result
   * (the result node's preview, else the last node with one). Resolves with the entry's id.
   */
  async saveToLibrary(name?: string): Promise<string | undefined> {
    const chosen = name ?? prompt('Save to library as:', 'My workflow');
    if (chosen === null || !chosen.trim()) return undefined;
    try {
      const text = workflowText(this.ed.view.graph, this.ed.registry);
      const onCanvas = this.ed.view.graph._nodes.map((n) => String(n.id)).reverse();
      const result = this.ed.resultNode();
      const ids = result && onCanvas.includes(result) ? [result, ...onCanvas] : onCanvas;
      const bitmap = ids.map((id) => this.ed.status.get(id)?.thumb).find((b) => b);
      const entry = await saveToLibrary(chosen, text, bitmap ? await thumbnailPng(bitmap) : undefined);
      toast(`Saved "${entry.name}" to the library${bitmap ? '' : ' (no result yet, so no thumbnail)'}`);
      return entry.id;
    } catch (e) {
      toast(`Could not save to the library: ${(e as Error).message}`, 'error', 8000);
      return undefined;
    }
  }

  private async usePngWhereThePhotoIsMissing(png: File): Promise<void> {
    let key: string | undefined;
    for (const node of this.ed.view.graph._nodes.filter(isDiscoNode)) {
      const param = imageParam(node.def);
      if (!param) continue;
      const ref = node.params()[param];
      if (typeof ref === 'string' && ref && (await loadPhoto(ref))) continue;
      // The result is no stand-in for a reference photo.
      if (node.def.role === 'reference') {
        toast(`The reference photo behind ${png.name} is not in this browser: drop it on ${node.title} #${node.id} (or choose it there) to run again.`, 'info', 12_000);
        continue;
      }
      key ??= await storePhoto(png);
      node.setParam(param, key);
      toast(`The photo behind ${png.name} is not in this browser: ${node.title} #${node.id} uses the PNG itself instead (a result keeps its photo's lightness, so a rerun gives the same picture). Drop the original photo on the node to use it.`, 'info', 12_000);
    }
    if (key) this.ed.tracker.check();
  }

  private opened(message: string, notes: readonly string[]): void {
    this.ed.forget();
    this.ed.tracker.check();
    this.ed.view.fitAll();
    toast(notes.length ? `${message} (${notes.join('; ')})` : message);
    this.reportLoadProblems();
  }

  /** After opening a file: invalid parameter values (replaced by defaults, shown on their nodes) and unknown node types. */
  private reportLoadProblems(): void {
    const nodes = this.ed.view.graph._nodes;
    const bad = nodes.filter(isDiscoNode).filter((n) => n.paramProblems.size);
    if (bad.length) {
      const list = bad.map((n) => `${n.title} #${n.id}: ${[...n.paramProblems.keys()].join(', ')}`).join('; ');
      toast(`Invalid parameter values replaced by defaults (see the nodes): ${list}`, 'error', 10_000);
    }
    const missing = [...new Set(nodes.filter((n) => !this.ed.registry.has(n.type ?? '')).map((n) => n.type))];
    if (missing.length) toast(`This workflow uses node types that are not installed: ${missing.join(', ')}. They are kept as placeholders and skipped when running.`, 'error', 10_000);
  }
}
