/**
 * The fabric.js canvas over the viewer's image: anchor markers (click, drag, select) and the colour
 * brush. Markers are placed from normalised coordinates on every resize, so they never drift from
 * the picture; a gesture reports normalised coordinates back. Plain class: the Lit panel owns it.
 */
import { Canvas, Circle, PencilBrush, Shadow, type FabricObject, type TPointerEventInfo } from 'fabric';
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

type Marker = Circle & { anchor?: ViewAnchor };

export class AnchorLayer {
  readonly canvas: Canvas;
  private size = { w: 1, h: 1 };
  private anchors: readonly ViewAnchor[] = [];
  private selectedId: string | undefined;
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
  }

  setAnchors(anchors: readonly ViewAnchor[], selectedId?: string): void {
    this.anchors = anchors;
    this.selectedId = selectedId;
    this.draw();
  }

  setVisible(visible: boolean): void {
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

  private draw(): void {
    this.canvas.remove(...this.canvas.getObjects());
    for (const a of this.anchors) {
      const selected = a.id === this.selectedId;
      const m: Marker = new Circle({
        left: a.x * this.size.w, top: a.y * this.size.h, radius: selected ? RADIUS + 2 : RADIUS,
        fill: a.color ?? 'rgba(0,0,0,0.25)',
        stroke: selected ? RING.selected : a.locked ? RING.locked : a.source === 'user' ? RING.user : a.colourBy === 'reference' ? RING.reference : RING.auto,
        strokeWidth: selected ? 3 : 2, strokeDashArray: a.source === 'auto' ? [3, 2] : undefined,
        hasControls: false, hasBorders: false, lockScalingX: true, lockScalingY: true, lockRotation: true,
        hoverCursor: 'grab', moveCursor: 'grabbing', shadow: new Shadow({ color: 'rgba(0,0,0,0.9)', blur: 4 }),
      });
      m.anchor = a;
      this.canvas.add(m);
    }
    this.canvas.requestRenderAll();
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
