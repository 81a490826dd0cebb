/**
 * The litegraph canvas and its settings: search box on double-click and on releasing a dragged link
 * (filtered by the link's type), a toast that says why a connection was refused, sizing to the
 * container, drawing only when something changed (canvas-frames.ts), and helpers to add nodes at
 * screen positions. The only file that configures litegraph.
 */
import { LGraph, LGraphCanvas, LiteGraph, type LGraphNode } from '@comfyorg/litegraph';
import '@comfyorg/litegraph/style.css';
import { CanvasFrames } from './canvas-frames.ts';

/** The smallest text on a node (slot labels, widgets, our badges), in graph units. */
export const NODE_SMALL_TEXT = 13;
/** fitAll never zooms out below this: the smallest node text stays at least 11 screen pixels. */
export const MIN_FIT_SCALE = 11 / NODE_SMALL_TEXT;
/** Space fitAll leaves around the graph, in element pixels. */
const FIT_MARGIN = 8;

export interface GraphCanvasHooks {
  /** A short message for the user (refused connections). */
  toast(message: string): void;
}

export function configureLiteGraph(): void {
  LiteGraph.NODE_TEXT_SIZE = NODE_SMALL_TEXT + 2; // titles
  LiteGraph.NODE_SUBTEXT_SIZE = NODE_SMALL_TEXT; // slot labels and widgets
  LiteGraph.auto_load_slot_types = true; // fills registered_slot_{in,out}_types, which our search reads
  // litegraph's own slot-type filter lower-cases the types it offers (so it matches nothing) and then
  // throws `filtered_extra is not defined` (0.17.2); our onSearchBox filters instead.
  LiteGraph.search_filter_enabled = false;
  LiteGraph.release_link_on_empty_shows_menu = false; // we open the search box ourselves
  LiteGraph.alt_drag_do_clone_nodes = true;
  LiteGraph.middle_click_slot_add_default_node = true;
}

/** A node that draws something over all nodes (in its own coordinates: (0,0) is its body's top-left). */
interface OverNodes {
  drawOverNodes(ctx: CanvasRenderingContext2D): void;
}

export class GraphCanvas {
  readonly graph = new LGraph();
  readonly canvas: LGraphCanvas;
  private readonly frames: CanvasFrames;
  /** Set while the search box was opened by releasing a link: only node types that can take it. */
  private searchSlot: { type: string; wantsInput: boolean } | undefined;

  constructor(readonly el: HTMLCanvasElement, hooks: GraphCanvasHooks) {
    this.canvas = new LGraphCanvas(el, this.graph, { skip_render: true });
    this.frames = new CanvasFrames(this.canvas);
    this.canvas.allow_searchbox = true;
    this.canvas.show_info = false;
    // What nodes pin below themselves (errors) is drawn after every node, so that no node covers it.
    this.canvas.onDrawForeground = (ctx) => {
      for (const n of this.graph._nodes) {
        const over = (n as Partial<OverNodes>).drawOverNodes;
        if (!over || n.flags.collapsed) continue;
        ctx.save();
        ctx.translate(n.pos[0], n.pos[1]);
        over.call(n, ctx);
        ctx.restore();
      }
    };
    this.openSearchOnLinkRelease();
    this.explainRefusedLinks(hooks);
    new ResizeObserver(() => this.fit()).observe(el.parentElement!);
    this.fit();
  }

  /** Canvas coordinates of a pointer/drag event. */
  toGraphPos(e: MouseEvent): [number, number] {
    const r = this.el.getBoundingClientRect();
    return this.fromScreen(e.clientX - r.left, e.clientY - r.top);
  }

  /** Adds a node of `type`, centred on a graph position (default: the middle of the view). */
  addNode(type: string, pos?: [number, number]): LGraphNode {
    const node = LiteGraph.createNode(type);
    if (!node) throw new Error(`unknown node type "${type}"`);
    const [cx, cy] = pos ?? this.viewCentre();
    node.pos = [cx - node.size[0] / 2, cy - node.size[1] / 2];
    this.graph.add(node);
    this.canvas.selectNode(node);
    this.canvas.setDirty(true, true);
    return node;
  }

  nodeAt(e: MouseEvent): LGraphNode | null {
    const [x, y] = this.toGraphPos(e);
    return this.graph.getNodeOnPos(x, y);
  }

  redraw(): void {
    this.canvas.setDirty(true, true);
  }

  /**
   * Node `id` (undefined: every node) looks different (run state, time, preview): drawn again if it
   * is in view, with the message it may pin below it (see CanvasFrames). Links and grid stay as they are.
   */
  redrawNode(id?: string): void {
    const node = id === undefined ? undefined : this.graph.getNodeById(Number(id));
    this.frames.nodesChanged(id === undefined ? this.graph._nodes : node ? [node] : []);
  }

  /**
   * Zooms and pans so the whole graph (nodes and groups) is in view, at most at 100 %, leaving
   * `reserveTop` element pixels at the top free (the first visit's hint covers them). Returns false
   * when that would take node text below 11 px: the view then stays at the smallest legible zoom and
   * shows the graph's top-left corner, where a workflow starts (centred on an axis that does fit).
   */
  fitAll(reserveTop = 0): boolean {
    const box = this.bounds();
    if (!box) {
      this.redraw();
      return true;
    }
    const [x0, y0, x1, y1] = box;
    // The pane, not the canvas: the canvas takes the pane's size only on the next resize callback.
    const r = this.paneBox();
    const w = r.width - 2 * FIT_MARGIN, h = r.height - reserveTop - 2 * FIT_MARGIN;
    const fit = Math.min(w / (x1 - x0), h / (y1 - y0), 1);
    const ds = this.canvas.ds;
    ds.scale = Math.max(fit, MIN_FIT_SCALE);
    const gw = (x1 - x0) * ds.scale, gh = (y1 - y0) * ds.scale;
    const left = FIT_MARGIN + Math.max(0, (w - gw) / 2), top = reserveTop + FIT_MARGIN + Math.max(0, (h - gh) / 2);
    ds.offset[0] = left / ds.scale - x0;
    ds.offset[1] = top / ds.scale - y0;
    this.redraw();
    return fit >= MIN_FIT_SCALE;
  }

  /**
   * The pan and zoom saved with the graph (litegraph writes them to `extra.ds` in every save and
   * autosave), else the fitted view.
   */
  showSavedView(): void {
    const ds = (this.graph.extra as { ds?: { scale?: unknown; offset?: unknown } }).ds;
    const offset = Array.isArray(ds?.offset) ? ds.offset : [];
    if (typeof ds?.scale !== 'number' || !(ds.scale >= 0.1 && ds.scale <= 10) || offset.length !== 2 || !offset.every(Number.isFinite)) {
      this.fitAll();
      return;
    }
    this.canvas.ds.scale = ds.scale;
    this.canvas.ds.offset[0] = offset[0];
    this.canvas.ds.offset[1] = offset[1];
    this.redraw();
  }

  /** [left, top, right, bottom] of every node (title bar included) and group, in graph units. */
  private bounds(): [number, number, number, number] | undefined {
    const title = LiteGraph.NODE_TITLE_HEIGHT;
    const boxes = [
      ...this.graph._nodes.map((n) => [n.pos[0], n.pos[1] - title, n.size[0], n.size[1] + title]),
      ...this.graph.groups.map((g) => [...g.boundingRect]),
    ];
    if (!boxes.length) return undefined;
    return [
      Math.min(...boxes.map((b) => b[0]!)), Math.min(...boxes.map((b) => b[1]!)),
      Math.max(...boxes.map((b) => b[0]! + b[2]!)), Math.max(...boxes.map((b) => b[1]! + b[3]!)),
    ];
  }

  /** Centres the view on a node (at a readable zoom; its title at the top if it is taller than the view) and selects it. */
  showNode(node: LGraphNode): void {
    this.fit(); // the pane may have just unfolded: size the canvas to it now, not on the next resize callback
    const r = this.el.getBoundingClientRect();
    const ds = this.canvas.ds;
    ds.scale = Math.max(ds.scale, 1);
    const top = node.pos[1] - LiteGraph.NODE_TITLE_HEIGHT, h = node.size[1] + LiteGraph.NODE_TITLE_HEIGHT;
    ds.offset[0] = r.width / 2 / ds.scale - (node.pos[0] + node.size[0] / 2);
    ds.offset[1] = -top + Math.max(8 / ds.scale, (r.height / ds.scale - h) / 2);
    this.canvas.selectNode(node);
    this.redraw();
  }

  private viewCentre(): [number, number] {
    const r = this.el.getBoundingClientRect();
    return this.fromScreen(r.width / 2, r.height / 2);
  }

  /** Element pixels to graph coordinates. */
  private fromScreen(x: number, y: number): [number, number] {
    const { offset, scale } = this.canvas.ds;
    return [x / scale - offset[0], y / scale - offset[1]];
  }

  /** The room the canvas has in its pane: all of it, less a header strip above the canvas (narrow embeds). */
  private paneBox(): { width: number; height: number } {
    const box = this.el.parentElement!.getBoundingClientRect();
    return { width: box.width, height: Math.max(0, box.height - this.el.offsetTop) };
  }

  private fit(): void {
    const box = this.paneBox();
    this.el.width = Math.max(1, Math.floor(box.width));
    this.el.height = Math.max(1, Math.floor(box.height));
    this.canvas.setDirty(true, true);
    this.canvas.draw(true, true);
  }

  /** Node types for the search box: matching the text, and (after a link release) able to take the link. */
  searchResults(text: string): string[] {
    const q = text.trim().toLowerCase();
    const slot = this.searchSlot;
    const register = slot?.wantsInput ? LiteGraph.registered_slot_in_types : LiteGraph.registered_slot_out_types;
    const allowed = slot ? new Set(register[slot.type]?.nodes ?? []) : undefined;
    return Object.entries(LiteGraph.registered_node_types)
      .filter(([type]) => !allowed || allowed.has(type))
      .filter(([type, ctor]) => !q || type.toLowerCase().includes(q) || (ctor.title ?? '').toLowerCase().includes(q))
      .map(([type]) => type);
  }

  /** Like ComfyUI: releasing a dragged link on empty canvas opens the search box filtered by its type. */
  private openSearchOnLinkRelease(): void {
    this.canvas.onSearchBox = (_helper, text) => this.searchResults(text);
    // A search opened by double-click (a pointerdown on the canvas first) lists every type.
    this.el.addEventListener('pointerdown', () => (this.searchSlot = undefined), true);
    const lc = this.canvas.linkConnector;
    lc.events.addEventListener('dropped-on-canvas', (ev) => {
      const first = lc.renderLinks[0];
      if (!first) return;
      const e = ev.detail;
      const type = String(first.fromSlot.type);
      const wantsInput = lc.state.connectingTo === 'input';
      const opts = wantsInput
        ? { node_from: first.node as LGraphNode, slot_from: first.fromSlot as never }
        : { node_to: first.node as LGraphNode, slot_from: first.fromSlot as never };
      this.searchSlot = { type, wantsInput };
      this.canvas.showSearchBox(e as MouseEvent, { ...opts, do_type_filter: false, show_all_if_empty: true } as never);
    });
  }

  /**
   * litegraph silently ignores a drop on an incompatible slot; say why. We look at the drag just
   * before litegraph handles the pointerup, and at the link count just after.
   */
  private explainRefusedLinks(hooks: GraphCanvasHooks): void {
    const lc = this.canvas.linkConnector;
    // litegraph may reset the connector before our pointerup runs, so remember the drag while it moves.
    let drag: { type: string; toInput: boolean; source: unknown } | undefined;
    this.el.addEventListener('pointermove', () => {
      const first = lc.renderLinks[0];
      drag = first ? { type: String(first.fromSlot.type), toInput: lc.state.connectingTo !== 'output', source: first.node } : undefined;
    }, true);
    this.el.addEventListener('pointerup', (e) => {
      if (!drag) return;
      const { type, toInput, source } = drag;
      drag = undefined;
      const links = this.graph.links.size;
      const [x, y] = this.toGraphPos(e);
      setTimeout(() => {
        const target = this.graph.getNodeOnPos(x, y);
        if (this.graph.links.size !== links || !target || target === source) return;
        if (toInput) {
          const slot = target.getInputOnPos?.([x, y]);
          const accepts = [...new Set((target.inputs ?? []).map((i) => String(i.type)))];
          if (slot && String(slot.type) !== type) hooks.toast(`Cannot connect ${type} to input "${slot.name}" of ${target.title}: it takes ${slot.type}.`);
          else if (!slot && !accepts.includes(type)) hooks.toast(`${target.title} has no ${type} input${accepts.length ? ` (it takes ${accepts.join(', ')})` : ''}.`);
        } else {
          const slot = target.getOutputOnPos?.([x, y]);
          if (slot && String(slot.type) !== type) hooks.toast(`Cannot connect output "${slot.name}" (${slot.type}) of ${target.title} to a ${type} input.`);
        }
      });
    }, true);
  }
}
