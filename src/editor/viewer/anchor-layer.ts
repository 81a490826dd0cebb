/**
 * The fabric.js canvas over the viewer's image: anchor markers (click, drag, select) and the colour
 * brush. Markers are placed from normalised coordinates on every resize, so they never drift from
 * the picture; a gesture reports normalised coordinates back. Plain class: the Lit panel owns it.
 */
import { Canvas, Circle, PencilBrush, type FabricObject, type TPointerEventInfo } from 'fabric';
import type { ViewAnchor } from './anchor-edits.ts';

export interface AnchorLayerHooks {
  /** A click on a marker (or on nothing: undefined); `at` is the click in page pixels. */
  select(a: ViewAnchor | undefined, at: { x: number; y: number }): void;
  /** A marker was dragged and dropped at normalised (x, y). */
  moved(a: ViewAnchor, x: number, y: number): void;
  /** A click on the photo away from any marker, at normalised (x, y); `at` is the click in page pixels. */
  addAt(x: number, y: number, at: { x: number; y: number }): void;
  /** A finished brush stroke: its outline as an SVG path in layer pixels, and the brush width. */
  stroke(path: string, width: number): void;
  /** The pointer came onto a marker (the anchor) or left it (undefined). */
  hover(a: ViewAnchor | undefined): void;
}

const RADIUS = 8;
/** Ring colours; an automatic anchor coloured from the reference photo has its own (violet). */
const RING = { user: '#ffffff', auto: '#d0d4da', reference: '#c79bff', locked: '#ffd54f', selected: '#4f9cf5' };

/** Automatic anchors' dashed ring (one array: fabric redraws a marker whose dash array is a new one). */
const DASHED = [3, 2];

/** How far a marker's dark halo reaches beyond its ring, in layer pixels. */
const HALO = 5;

/**
 * A marker: a ring with a dark halo, so it reads on any photo. The halo is painted into the marker's
 * own cached bitmap (made again only when the marker changes); a fabric shadow instead blurs every
 * marker at every render of the layer, in software on machines without a GPU, ~15 ms a render.
 */
class Marker extends Circle {
  anchor?: ViewAnchor;

  override _render(ctx: CanvasRenderingContext2D): void {
    // What a shadow of blur 4 looks like: dark under the disc, half as dark at its edge, faint 1.5
    // pixels out, gone HALO pixels out.
    const edge = this.radius + this.strokeWidth / 2;
    const g = ctx.createRadialGradient(0, 0, 0, 0, 0, edge + HALO);
    const at = (r: number, alpha: number) => g.addColorStop(Math.max(0, r) / (edge + HALO), `rgba(0,0,0,${alpha})`);
    at(0, 0.9);
    at(edge - 2, 0.9);
    at(edge, 0.45);
    at(edge + 1.5, 0.15);
    at(edge + HALO, 0);
    ctx.fillStyle = g;
    ctx.beginPath();
    ctx.arc(0, 0, edge + HALO, 0, 2 * Math.PI);
    ctx.fill();
    super._render(ctx);
  }

  /** The cached bitmap has room for the halo around the ring (fabric centres the drawing in it). */
  override _getCacheCanvasDimensions(): ReturnType<Circle['_getCacheCanvasDimensions']> {
    const d = super._getCacheCanvasDimensions();
    return { ...d, width: Math.ceil(d.width + 2 * HALO * d.zoomX), height: Math.ceil(d.height + 2 * HALO * d.zoomY) };
  }
}

export class AnchorLayer {
  readonly canvas: Canvas;
  private size = { w: 1, h: 1 };
  private anchors: readonly ViewAnchor[] = [];
  private selectedId: string | undefined;
  /** Whether markers show (the viewer's Anchors toggle); markers added later follow it. */
  private visible = true;
  private down: { x: number; y: number; target?: FabricObject } | undefined;

  constructor(host: HTMLElement, private readonly hooks: AnchorLayerHooks) {
    const el = document.createElement('canvas');
    host.append(el);
    this.canvas = new Canvas(el, { selection: false, preserveObjectStacking: true, enableRetinaScaling: true });
    this.canvas.freeDrawingBrush = new PencilBrush(this.canvas);
    this.canvas.on('mouse:down', (e) => this.onDown(e));
    this.canvas.on('mouse:up', (e) => this.onUp(e));
    this.canvas.on('object:moving', (e) => this.clamp(e.target));
    this.canvas.on('mouse:over', (e) => this.hooks.hover((e.target as Marker | undefined)?.anchor));
    this.canvas.on('mouse:out', (e) => (e.target as Marker | undefined)?.anchor && this.hooks.hover(undefined));
    this.canvas.on('path:created', ({ path }) => {
      const cmds = (path as unknown as { path: (string | number)[][] }).path;
      this.canvas.remove(path);
      this.hooks.stroke(cmds.map((c) => c.join(' ')).join(' '), this.canvas.freeDrawingBrush!.width);
    });
  }

  setSize(w: number, h: number): void {
    this.size = { w: Math.max(1, w), h: Math.max(1, h) };
    this.canvas.setDimensions({ width: this.size.w, height: this.size.h });
    this.draw();
    this.canvas.requestRenderAll(); // a resized canvas starts blank
  }

  setAnchors(anchors: readonly ViewAnchor[], selectedId?: string): void {
    this.anchors = anchors;
    this.selectedId = selectedId;
    this.draw();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const o of this.canvas.getObjects()) o.visible = visible;
    this.canvas.requestRenderAll();
  }

  /** 'brush' paints strokes in `color`, `width` layer pixels wide; 'select' edits markers. */
  setMode(mode: 'select' | 'brush', color = '#ff0000', width = 16): void {
    this.canvas.isDrawingMode = mode === 'brush';
    const brush = this.canvas.freeDrawingBrush!;
    brush.color = `${color}b0`;
    brush.width = width;
    (brush as PencilBrush).strokeLineCap = 'round';
  }

  dispose(): void {
    void this.canvas.dispose();
  }

  /**
   * Brings the markers in line with the anchors: a marker per anchor id, changed in place, so a
   * recolour or a selection redraws one marker's cache, not every one (each has a blurred shadow).
   */
  private draw(): void {
    const byId = new Map((this.canvas.getObjects() as Marker[]).map((m) => [m.anchor!.id, m]));
    const keep = new Set<Marker>();
    let changed = false;
    for (const a of this.anchors) {
      const selected = a.id === this.selectedId;
      const look = {
        left: a.x * this.size.w, top: a.y * this.size.h, radius: selected ? RADIUS + 2 : RADIUS,
        fill: a.color ?? 'rgba(0,0,0,0.25)',
        stroke: selected ? RING.selected : a.locked ? RING.locked : a.source === 'user' ? RING.user : a.colourBy === 'reference' ? RING.reference : RING.auto,
        strokeWidth: selected ? 3 : 2, strokeDashArray: a.source === 'auto' ? DASHED : null,
      };
      let m = byId.get(a.id);
      if (m && !keep.has(m)) {
        const marker = m;
        if (Object.entries(look).some(([k, v]) => marker.get(k) !== v)) {
          marker.set(look);
          marker.setCoords();
          changed = true;
        }
      } else {
        changed = true;
        m = new Marker({
          ...look, visible: this.visible, hasControls: false, hasBorders: false, lockScalingX: true, lockScalingY: true, lockRotation: true,
          hoverCursor: 'grab', moveCursor: 'grabbing',
        });
        this.canvas.add(m);
      }
      m.anchor = a;
      keep.add(m);
    }
    const gone = (this.canvas.getObjects() as Marker[]).filter((m) => !keep.has(m));
    if (gone.length) this.canvas.remove(...gone);
    if (changed || gone.length) this.canvas.requestRenderAll();
  }

  private clamp(o: FabricObject | undefined): void {
    if (!o) return;
    o.set({ left: Math.min(this.size.w, Math.max(0, o.left)), top: Math.min(this.size.h, Math.max(0, o.top)) });
  }

  private onDown(e: TPointerEventInfo): void {
    if (this.canvas.isDrawingMode) return;
    this.down = { x: e.viewportPoint.x, y: e.viewportPoint.y, target: e.target };
  }

  private onUp(e: TPointerEventInfo): void {
    const d = this.down;
    this.down = undefined;
    if (!d || this.canvas.isDrawingMode) return;
    const p = e.viewportPoint;
    const dragged = Math.hypot(p.x - d.x, p.y - d.y) > 3;
    const anchor = (d.target as Marker | undefined)?.anchor;
    const nx = Math.min(1, Math.max(0, p.x / this.size.w));
    const ny = Math.min(1, Math.max(0, p.y / this.size.h));
    const page = e.e as PointerEvent;
    if (anchor && dragged) this.hooks.moved(anchor, nx, ny);
    else if (anchor) this.hooks.select(anchor, { x: page.clientX, y: page.clientY });
    else if (!dragged) {
      this.hooks.select(undefined, { x: page.clientX, y: page.clientY });
      this.hooks.addAt(nx, ny, { x: page.clientX, y: page.clientY });
    }
  }
}
