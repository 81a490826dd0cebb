/**
 * When the litegraph canvas draws. litegraph's own render loop calls `draw()` in every animation
 * frame, idle or not (~60 main-thread frames a second, each a style, layout and commit pass,
 * competing with the engine's threads on a small machine). Here its dirty flags ask for one frame
 * instead; litegraph sets them itself wherever the picture changes (pointer moves, drags, zoom).
 * A node whose run state or preview changed is drawn again only if it is in view, at most every
 * STATUS_DRAW_MS, and only the pixels of the changed nodes are painted again (a clip): the canvas
 * is rasterised on the main thread, and a run changes one node at a time.
 */
import { LiteGraph, type LGraphCanvas, type LGraphNode } from '@comfyorg/litegraph';

/** Room below a node for the message it pins there (node-draw.ts: at most 5 lines), in graph units. */
const PINNED_ROOM = 110;
/** Room around a node for its outline, shadow and selection, in graph units. */
const MARGIN = 12;
/**
 * Run states are drawn at most this often (ms). A run reports a node's states a few ms apart, and
 * each draw costs the main thread several ms that the engine's threads want; ten pictures a second
 * still show each state that lasts long enough to be read.
 */
const STATUS_DRAW_MS = 100;

type Box = [x: number, y: number, w: number, h: number];

export class CanvasFrames {
  private frameAsked = false;
  /** What node changes since the last frame cover, in canvas pixels. */
  private area: Box | undefined;
  /** Something other than a node change asked for this frame: it draws everything. */
  private whole = false;
  /** Set while a node change marks the canvas dirty (so the setter knows it was not litegraph). */
  private ownChange = false;
  /** When node changes were last drawn (performance.now), and whether a later draw is waiting. */
  private statusDrawnAt = -Infinity;
  private statusDrawQueued = false;

  constructor(private readonly canvas: LGraphCanvas) {
    for (const flag of ['dirty_canvas', 'dirty_bgcanvas'] as const) {
      let dirty = canvas[flag];
      Object.defineProperty(canvas, flag, {
        configurable: true,
        get: () => dirty,
        set: (value: boolean) => {
          dirty = value;
          if (!value) return;
          if (!this.ownChange) this.whole = true;
          this.askFrame();
        },
      });
    }
    canvas.setDirty(true, true); // the first picture
  }

  /** These nodes look different (run state, time, preview): those in view are drawn again. */
  nodesChanged(nodes: readonly LGraphNode[]): void {
    for (const node of nodes) {
      const box = this.screenBox(node);
      if (box) this.area = this.area ? union(this.area, box) : box;
    }
    if (!this.area || this.statusDrawQueued) return;
    const wait = this.statusDrawnAt + STATUS_DRAW_MS - performance.now();
    if (wait <= 0) return this.drawNodes();
    this.statusDrawQueued = true;
    setTimeout(() => {
      this.statusDrawQueued = false;
      this.drawNodes();
    }, wait);
  }

  private drawNodes(): void {
    this.statusDrawnAt = performance.now();
    this.ownChange = true;
    this.canvas.dirty_canvas = true;
    this.ownChange = false;
  }

  private askFrame(): void {
    if (this.frameAsked) return;
    this.frameAsked = true;
    requestAnimationFrame(() => {
      this.frameAsked = false;
      const c = this.canvas;
      c.dirty_area = this.whole ? null : this.area;
      this.whole = false;
      this.area = undefined;
      c.draw();
      c.dirty_area = null;
    });
  }

  /** The node with its title, outline and pinned message, in whole canvas pixels; undefined when out of view. */
  private screenBox(node: LGraphNode): Box | undefined {
    const { scale, offset } = this.canvas.ds;
    const title = LiteGraph.NODE_TITLE_HEIGHT;
    const x0 = Math.floor((node.pos[0] - MARGIN + offset[0]) * scale);
    const y0 = Math.floor((node.pos[1] - title - MARGIN + offset[1]) * scale);
    const x1 = Math.ceil((node.pos[0] + node.size[0] + MARGIN + offset[0]) * scale);
    const y1 = Math.ceil((node.pos[1] + node.size[1] + PINNED_ROOM + MARGIN + offset[1]) * scale);
    const { width, height } = this.canvas.canvas;
    if (x1 <= 0 || y1 <= 0 || x0 >= width || y0 >= height) return undefined;
    return [x0, y0, x1 - x0, y1 - y0];
  }
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a[0], b[0]), y = Math.min(a[1], b[1]);
  return [x, y, Math.max(a[0] + a[2], b[0] + b[2]) - x, Math.max(a[1] + a[3], b[1] + b[3]) - y];
}
