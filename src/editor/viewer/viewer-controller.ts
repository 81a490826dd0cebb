/**
 * Connects <disco-viewer> to the app: which node is on view and the 1-9 slots, what the viewer
 * shows after each run (asked of the worker: the image, the photo, labels and association, anchors,
 * top-10 colours, the reference photo and its superpixels), and anchor edits, which only ever write the User Anchors node's `anchors` param
 * (one history step per gesture, then a rerun). Colours are Lab ab throughout (hex only in the
 * browser's colour inputs).
 */
import type { LGraph, LGraphNode } from '@comfyorg/litegraph';
import { cellAt, cellCentre } from '../../runtime/values/anchors.ts';
import { fitOf, pixelAt } from './photo-frame.ts';
import { cpuTensor } from '../../runtime/values/tensor.ts';
import type { Anchor } from '../../runtime/values/types.ts';
import type { ExecGraph } from '../../runtime/workflow/exec-format.ts';
import type { NodeDefLookup } from '../../runtime/workflow/params.ts';
import { anchorsFromStroke } from '../../runtime/anchors/strokes.ts';
import { hexToAb } from '../../nodes/anchors/user-anchors.ts';
import { isDiscoNode, type DiscoNode } from '../graph/def-to-litegraph.ts';
import type { EngineClient } from '../worker/engine-client.ts';
import type { InspectResult, NodeImage } from '../worker/protocol.ts';
import * as edits from './anchor-edits.ts';
import { findRoles, type ViewerRoles } from './roles.ts';
import type { DiscoViewer } from './viewer-panel.ts';
import './viewer-panel.ts';
import type { ViewerAction } from './viewer-events.ts';

/** The viewer actions that edit anchors (the rest are routed elsewhere, see action-router.ts). */
export type AnchorAction = Extract<ViewerAction, { type: 'recolor' | 'move' | 'add' | 'remove' | 'lock' | 'stroke' }>;

/** What the controller needs from the app. */
export interface ViewerApp {
  readonly graph: LGraph;
  readonly engine: EngineClient;
  readonly registry: NodeDefLookup;
  /** An edit happened: rerun soon if auto-run is on. */
  editedAnchors(): void;
  toast(message: string, kind?: 'info' | 'error'): void;
}

type Of<K extends InspectResult['kind']> = Extract<InspectResult, { kind: K; unchanged?: undefined }>;

/** Thrown by `ask` when the answer is about a graph the viewer has since forgotten (reset). */
const STALE = Symbol('stale');

export class ViewerController {
  readonly el: DiscoViewer;
  roles: ViewerRoles = {};
  private viewed: string | undefined;
  get viewedNode(): string | undefined {
    return this.viewed;
  }
  private readonly slots: (string | undefined)[] = Array(9).fill(undefined);
  private affinity: Of<'affinity'> | undefined;
  /** The cache key of the photo shown as "before" (it is fetched again only when it changes). */
  private beforeKey: string | undefined;
  private suggestionsKey: string | undefined;
  private referenceKey: string | undefined;
  private auto: readonly Anchor[] = [];
  private coloured: readonly Anchor[] = [];
  private resets = 0;
  /** Goes up with each reset (a new or opened document): work begun before it applies nothing. */
  get epoch(): number {
    return this.resets;
  }

  constructor(private readonly app: ViewerApp, host: HTMLElement) {
    this.el = document.createElement('disco-viewer');
    host.append(this.el);
  }

  get grid(): edits.Grid {
    const a = this.affinity;
    return a ? { h: a.H / a.cell, w: a.W / a.cell, fit: fitOf(a) } : { h: 16, w: 16 };
  }

  /** Shows a node's image (its full-size IMAGE from the last run). */
  async view(nodeId: string): Promise<void> {
    this.viewed = nodeId;
    this.el.heading = this.label(nodeId);
    await this.fetchImage().catch(ignoreStale);
  }

  bindSlot(slot: number, node: LGraphNode | undefined): void {
    if (!node) return this.app.toast('Select a node first, then Shift+digit binds it to a viewer slot.');
    this.slots[slot - 1] = String(node.id);
    this.el.slots = this.slots.map((id) => (id ? this.label(id) : undefined));
    void this.view(String(node.id));
  }

  showSlot(slot: number): void {
    const id = this.slots[slot - 1];
    if (id) void this.view(id);
  }

  /** Forgets the previous graph: what is on view, the slots and every overlay's data. */
  reset(): void {
    this.resets++;
    this.viewed = undefined;
    this.slots.fill(undefined);
    this.roles = {};
    this.affinity = undefined;
    this.suggestionsKey = this.referenceKey = this.beforeKey = undefined;
    this.auto = this.coloured = [];
    for (const g of this.el.gallery) URL.revokeObjectURL(g.url);
    this.el.clear();
    this.el.slots = [];
    this.el.editable = false;
  }

  /** The node whose image a run of `graph` should bring back: the one on view, else the result. */
  nodeToView(graph: ExecGraph): string | undefined {
    return this.viewed ?? findRoles(graph, this.app.registry).result;
  }

  /**
   * Called after each run of `graph`: draws `image` (the run's image of the node on view) at once,
   * then refreshes the overlays' data. A node the run never reached (a failed run) keeps what it
   * showed: its problem is the failed node's, said once.
   */
  async afterRun(graph: ExecGraph, image?: NodeImage): Promise<void> {
    this.roles = findRoles(graph, this.app.registry);
    this.el.editable = !!this.roles.userAnchors;
    if (!this.viewed && this.roles.result) this.viewed = this.roles.result;
    if (this.viewed) this.el.heading = this.label(this.viewed);
    const drawn = image !== undefined && image.nodeId === this.viewed;
    if (drawn) this.show(image.bitmap);
    else image?.bitmap.close();
    try {
      await Promise.all([drawn ? undefined : this.fetchImage(true), this.fetchBefore(), this.fetchAffinity(), this.fetchAnchors(), this.fetchSuggestions(), this.fetchReference()]);
    } catch (e) {
      return ignoreStale(e); // another document opened meanwhile: its viewer stays empty
    }
    this.syncAnchors();
  }

  /** Re-reads the User Anchors param (after an edit, undo or redo). */
  syncAnchors(): void {
    const node = this.userNode();
    this.el.anchors = node ? edits.viewAnchors(this.list(node), this.auto, this.grid, this.coloured) : [];
  }

  /**
   * Writes a new anchors list, then a rerun if auto-run is on. The param write is the gesture's one
   * history step (the app checks history once after any param write; that check also re-syncs the
   * viewer's anchors and autosaves).
   */
  setAnchors(list: edits.UserAnchorSpec[]): void {
    const node = this.userNode();
    if (!node) return this.app.toast('This workflow has no User Anchors node to edit.', 'error');
    // The rerun is asked for first: both wait for the end of this task, and then the run (which reads
    // the graph as this task leaves it) goes to the worker before the history check serialises it.
    this.app.editedAnchors();
    node.setParam('anchors', list);
  }

  /** The anchors a run of Anchor Colors used, as user entries (the diverse gallery's pick). */
  async colouredAnchors(): Promise<edits.UserAnchorSpec[]> {
    if (!this.roles.anchorColors) return [];
    const r = await this.app.engine.inspect({ kind: 'anchors', nodeId: this.roles.anchorColors });
    return r.unchanged || r.kind !== 'anchors' ? [] : r.value.anchors.filter((a) => a.ab).map((a) => ({ x: a.x, y: a.y, ab: [a.ab![0], a.ab![1]], ...(a.locked ? { locked: true } : {}) }));
  }

  userNode(): DiscoNode | undefined {
    const n = this.roles.userAnchors ? this.app.graph.getNodeById(Number(this.roles.userAnchors)) : this.app.graph._nodes.find((x) => isDiscoNode(x) && x.def.role === 'user-anchors');
    return isDiscoNode(n) ? n : undefined;
  }

  private list(node: DiscoNode): edits.UserAnchorSpec[] {
    const v = node.params().anchors;
    return Array.isArray(v) ? (v as edits.UserAnchorSpec[]) : [];
  }

  private label(id: string): string {
    const n = this.app.graph.getNodeById(Number(id));
    return n ? `${n.title} #${id}` : `node ${id}`;
  }

  /** Carries out an anchor edit from the viewer as one new anchors list. */
  edit(a: AnchorAction): void {
    const node = this.userNode();
    if (!node) return this.app.toast('This workflow has no User Anchors node: anchors cannot be edited here.', 'error');
    const list = this.list(node);
    const grid = this.grid;
    switch (a.type) {
      case 'recolor':
        return this.setAnchors(edits.recolor(list, a.anchor, a.color));
      case 'lock':
        return this.setAnchors(edits.toggleLock(list, a.anchor));
      case 'remove':
        return this.setAnchors(edits.remove(list, a.anchor, new Set(this.auto.map((x) => x.cell)), grid));
      case 'move': {
        const p = this.snap(a.x, a.y);
        return this.setAnchors(edits.move(list, a.anchor, p.x, p.y));
      }
      case 'add': {
        const p = this.snap(a.x, a.y);
        // With a colour model, Anchor Colors picks the colour; without one, the brush colour is used.
        return this.setAnchors(edits.add(list, p.x, p.y, this.roles.colorDist ? undefined : { ab: hexToAb(this.el.brushColor) }));
      }
      case 'stroke': {
        const aff = this.affinity;
        if (!aff) return this.app.toast('Run the workflow first: the brush needs its superpixels.', 'error');
        const made = anchorsFromStroke(cpuTensor([1, 9, aff.H, aff.W], aff.assoc), aff.cell, a.mask, a.color, 0.5, grid.fit);
        if (!made.length) return this.app.toast('The stroke covers no superpixel by half: paint over more of one.');
        const ab = hexToAb(a.color);
        return this.setAnchors(edits.addMany(list, made.map((m) => ({ x: m.x, y: m.y, ab })), grid));
      }
    }
  }

  /** Keeps a photo point in the superpixel under it: User Anchors files a point by its grid cell. */
  private snap(x: number, y: number): { x: number; y: number } {
    const a = this.affinity;
    const at = a && pixelAt(a, Math.min(x, 1 - 1e-9), Math.min(y, 1 - 1e-9));
    if (!a || !at) return { x, y };
    const label = a.labels[at.p];
    const { h, w, fit } = this.grid;
    return cellAt(x, y, h, w, fit) === label ? { x, y } : cellCentre(label, h, w, fit);
  }

  /**
   * Asks the worker; throws STALE if the viewer was reset while waiting. Every fetch asks in the task
   * it was called in (two questions go out together), so the epoch checked is its caller's.
   */
  private async ask<K extends InspectResult['kind']>(q: Parameters<EngineClient['inspect']>[0] & { kind: K }, quiet = false): Promise<Of<K> | 'unchanged' | undefined> {
    const epoch = this.resets;
    let r: InspectResult;
    try {
      r = await this.app.engine.inspect(q);
    } catch (e) {
      if (epoch !== this.resets) throw STALE;
      if (q.kind === 'image' && !quiet) this.app.toast(`Viewer: ${(e as Error).message}`, 'error');
      return undefined;
    }
    if (epoch !== this.resets) {
      if (r.kind === 'image' && !r.unchanged) r.bitmap.close();
      throw STALE;
    }
    return r.unchanged ? 'unchanged' : (r as Of<K>);
  }

  /** Puts a new image on view; the one it replaces is freed. */
  private show(bitmap: ImageBitmap): void {
    const old = this.el.image;
    this.el.image = bitmap;
    if (old && old !== bitmap) old.close();
  }

  private async fetchImage(quiet = false): Promise<void> {
    if (!this.viewed) return;
    const r = await this.ask({ kind: 'image', nodeId: this.viewed }, quiet);
    if (r && r !== 'unchanged') this.show(r.bitmap);
  }

  private async fetchBefore(): Promise<void> {
    const r = this.roles.photo ? await this.ask({ kind: 'image', nodeId: this.roles.photo, knownKey: this.beforeKey }, true) : undefined;
    if (r === 'unchanged') return;
    this.beforeKey = r?.key;
    this.el.beforeImage?.close();
    this.el.beforeImage = r?.bitmap;
  }

  private async fetchAffinity(): Promise<void> {
    if (!this.roles.affinity) return void (this.affinity = this.el.affinity = undefined);
    const r = await this.ask({ kind: 'affinity', nodeId: this.roles.affinity, knownKey: this.affinity?.key });
    if (r === 'unchanged') return;
    this.affinity = r;
    this.el.affinity = r && { W: r.W, H: r.H, cell: r.cell, labels: r.labels, assoc: r.assoc, ...(r.content ? { content: r.content } : {}) };
  }

  private async fetchAnchors(): Promise<void> {
    const { autoAnchors, anchorColors } = this.roles;
    const [auto, col] = await Promise.all([
      autoAnchors ? this.ask({ kind: 'anchors', nodeId: autoAnchors }) : undefined,
      anchorColors ? this.ask({ kind: 'anchors', nodeId: anchorColors }) : undefined,
    ]);
    this.auto = auto && auto !== 'unchanged' ? auto.value.anchors : [];
    this.coloured = col && col !== 'unchanged' ? col.value.anchors : [];
    this.el.clusters = auto && auto !== 'unchanged' ? auto.value.clusters : undefined;
  }

  /** The reference photo and its superpixels (workflows that colour anchors from one). */
  private async fetchReference(): Promise<void> {
    const { reference, referenceAffinity } = this.roles;
    if (!reference) return void (this.el.referenceImage = this.el.referenceLabels = this.referenceKey = undefined);
    const [img, aff] = await Promise.all([
      this.ask({ kind: 'image', nodeId: reference }, true),
      referenceAffinity ? this.ask({ kind: 'affinity', nodeId: referenceAffinity, knownKey: this.referenceKey }) : undefined,
    ]);
    if (img && img !== 'unchanged') this.el.referenceImage = img.bitmap;
    if (aff === 'unchanged') return;
    this.referenceKey = aff?.key;
    this.el.referenceLabels = aff && { W: aff.W, H: aff.H, cell: aff.cell, labels: aff.labels, ...(aff.content ? { content: aff.content } : {}) };
  }

  private async fetchSuggestions(): Promise<void> {
    if (!this.roles.colorDist) return void (this.el.suggestions = this.suggestionsKey = undefined);
    const r = await this.ask({ kind: 'topBins', nodeId: this.roles.colorDist, knownKey: this.suggestionsKey });
    if (r === 'unchanged') return;
    this.suggestionsKey = r?.key;
    this.el.suggestions = r;
  }
}

function ignoreStale(e: unknown): void {
  if (e !== STALE) throw e;
}
