/**
 * <disco-viewer>: the large viewer beside the graph. Shows one node's image at full size, a
 * before/after split against the photo, toggled overlays (superpixel boundaries, the 9-way
 * association under the cursor, anchors, k-means clusters), the top-10 colours of the hovered
 * superpixel, anchor editing (popover, drag, add, delete, lock, brush) and, when the workflow colours
 * anchors from a reference photo, that photo in a corner with the hovered anchor's matched
 * superpixel picked out (reference-view.ts). Data comes down as
 * properties from the ViewerController; every user action goes up as a ViewerActionEvent.
 * `image-drawn` fires once each new image has been painted.
 */
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { kOffset } from '../../runtime/backends/ops/superpixel-ops.ts';
import type { ViewAnchor } from './anchor-edits.ts';
import { AnchorLayer } from './anchor-layer.ts';
import './anchor-popover.ts';
import './reference-view.ts';
import type { ReferenceLabels } from './reference-view.ts';
import { overlayPixels, type LabelMap } from './overlay-draw.ts';
import { cellCentreOnPhoto, photoRegion, pixelAt, type FramedMap } from './photo-frame.ts';
import { renderSwatches, swatchesFor } from './swatches.ts';
import { ViewerActionEvent, type Suggestions, type ViewerAction } from './viewer-events.ts';

/** The association map and its labels at the working size; only its `content` part is the photo on view. */
export interface AffinityView extends LabelMap, FramedMap {
  readonly cell: number;
  /** The association map [9*H*W]. */
  readonly assoc: Float32Array;
}

/** Zoom limits (screen pixels per image pixel) and the largest frame the anchor canvas may get. */
const MIN_ZOOM = 0.05, MAX_ZOOM = 16, MAX_FRAME = 4096;
/** The hover tip's size: 5 x 2 swatches and a title. */
const TIP = { w: 200, h: 90 };

type Toggle = 'boundaries' | 'assoc' | 'anchors' | 'clusters' | 'split';
const TOGGLES: [Toggle, string, string][] = [
  ['split', 'Split', 'Before/after: the photo left of the slider'],
  ['boundaries', 'Superpixels', 'Superpixel boundaries of the workflow’s association map'],
  ['assoc', '9-way', 'Association of the pixel under the cursor with its 3x3 neighbour cells'],
  ['anchors', 'Anchors', 'Anchor markers'],
  ['clusters', 'Clusters', 'Each superpixel tinted by its k-means cluster'],
];

@customElement('disco-viewer')
export class DiscoViewer extends LitElement {
  /** The image on view (full size). */
  @property({ attribute: false }) image?: ImageBitmap;
  /** The photo, for the before/after split. */
  @property({ attribute: false }) beforeImage?: ImageBitmap;
  @property() heading = 'Viewer';
  /** Label of the node bound to each slot 1..9 (index 0 = slot 1). */
  @property({ attribute: false }) slots: (string | undefined)[] = [];
  @property({ attribute: false }) affinity?: AffinityView;
  @property({ attribute: false }) clusters?: Int32Array;
  @property({ attribute: false }) anchors: ViewAnchor[] = [];
  @property({ attribute: false }) suggestions?: Suggestions;
  /** Whether the workflow has a User Anchors node to write edits to. */
  @property({ type: Boolean }) editable = false;
  /** Diverse results: image URL and caption per variant. */
  @property({ attribute: false }) gallery: { url: string; label: string; picked?: boolean }[] = [];
  @property() note = '';
  /** The reference photo (workflows with a 'reference' node) and its superpixels. */
  @property({ attribute: false }) referenceImage?: ImageBitmap;
  @property({ attribute: false }) referenceLabels?: ReferenceLabels;

  @state() private show: Record<Toggle, boolean> = { split: false, boundaries: false, assoc: false, anchors: true, clusters: false };
  @state() private split = 0.5;
  @state() private mode: 'select' | 'brush' = 'select';
  /** The brush colour, also given to anchors added by a click when no model chooses colours. */
  @property({ attribute: false }) brushColor = '#e05a2a';
  @state() private brushSize = 18;
  @state() private hover?: { x: number; y: number; pageX: number; pageY: number };
  @state() private selected?: { anchor: ViewAnchor; x: number; y: number };
  /** The anchor marker under the pointer (its id: markers are redrawn after each run). */
  @state() private hoveredAnchorId?: string;
  @state() private frame = { w: 0, h: 0 };
  /** Screen pixels per image pixel; undefined fits the image into the stage. */
  @state() private zoom: number | undefined;
  /** The frame's shift from the stage centre, in page pixels. */
  @state() private pan = { x: 0, y: 0 };
  /** A click added an anchor here: select (and open the popover on) the anchor that appears. */
  private pendingSelect: { x: number; y: number; at: { x: number; y: number } } | undefined;
  private panning: { x: number; y: number; pan: { x: number; y: number } } | undefined;
  private spaceHeld = false;

  private layer?: AnchorLayer;
  private resize?: ResizeObserver;
  private readonly onKey = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (e.code === 'Space' && !t.closest('input, textarea, select, button')) this.spaceHeld = e.type === 'keydown';
    if (e.type !== 'keydown') return;
    // Esc closes the popover even while its colour input has the focus.
    if (this.selected && e.key === 'Escape' && (!t.closest('input, textarea, select') || t.closest('disco-anchor-popover'))) {
      e.stopPropagation();
      this.closePopover();
      return;
    }
    if (!this.selected || t.closest('input, textarea, select')) return;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      // Capture phase + stop: the graph canvas would otherwise delete its selected nodes too.
      e.preventDefault();
      e.stopPropagation();
      this.emit({ type: 'remove', anchor: this.selected.anchor });
      this.closePopover();
    }
  };

  protected override createRenderRoot(): HTMLElement {
    return this; // light DOM: fabric's wrapper elements and the app stylesheet work as usual
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey, true);
    document.addEventListener('keyup', this.onKey, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onKey, true);
    document.removeEventListener('keyup', this.onKey, true);
    this.resize?.disconnect();
    this.layer?.dispose();
  }

  /** The frame's size in page pixels (the image fitted into the stage, or zoomed). */
  get frameSize(): { w: number; h: number } {
    return this.frame;
  }

  /** Screen pixels per image pixel right now. */
  get scale(): number {
    return this.image && this.frame.w ? this.frame.w / this.image.width : 1;
  }

  /** Fits the whole image into the stage (undefined) or shows it at `zoom` screen pixels per image pixel. */
  setZoom(zoom: number | undefined, pan = { x: 0, y: 0 }): void {
    this.zoom = zoom === undefined ? undefined : Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    this.pan = pan;
    this.hover = undefined;
  }

  /** Forgets the image, overlays, anchors, popover, gallery and zoom (a new or opened graph). */
  clear(): void {
    this.image = this.beforeImage = undefined;
    this.affinity = this.clusters = this.suggestions = undefined;
    this.anchors = [];
    this.referenceImage = this.referenceLabels = this.hoveredAnchorId = undefined;
    this.gallery = [];
    this.note = '';
    this.heading = 'Viewer';
    this.selected = this.hover = this.pendingSelect = undefined;
    this.zoom = undefined;
    this.pan = { x: 0, y: 0 };
  }

  protected override firstUpdated(): void {
    const stage = this.querySelector<HTMLElement>('.viewer-stage')!;
    this.layer = new AnchorLayer(this.querySelector<HTMLElement>('.anchor-layer')!, {
      select: (a, at) => (this.selected = a ? { anchor: a, x: at.x, y: at.y } : undefined),
      moved: (a, x, y) => this.emit({ type: 'move', anchor: a, x, y }),
      addAt: (x, y, at) => {
        if (!this.editable) return;
        this.pendingSelect = { x, y, at };
        this.emit({ type: 'add', x, y });
      },
      stroke: (path, width) => this.strokeDone(path, width),
      hover: (a) => (this.hoveredAnchorId = a?.id),
    });
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(stage);
  }

  /** State that follows other state is settled here, before rendering (a change in updated() costs a second update). */
  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('image') || changed.has('zoom')) this.fit();
    if (changed.has('anchors') && this.pendingSelect) this.selectAdded();
    if (this.selected && !this.anchors.some((a) => a.id === this.selected!.anchor.id)) this.selected = undefined;
  }

  /** Only draws: a reactive property set here would schedule a second update (Lit warns; anchors.test.ts checks). */
  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('image') || changed.has('frame')) this.paint('.img-after', this.image);
    // A new image is on screen: tests and `npm run bench` time edits to this event.
    if (changed.has('image') && this.image) this.dispatchEvent(new Event('image-drawn'));
    if (changed.has('beforeImage') || changed.has('frame')) this.paint('.img-before', this.beforeImage);
    if (changed.has('affinity') || changed.has('clusters') || changed.has('show')) this.paintOverlay();
    if (changed.has('frame')) this.layer?.setSize(this.frame.w, this.frame.h);
    if (changed.has('anchors') || changed.has('selected') || changed.has('frame')) {
      this.layer?.setAnchors(this.anchors, this.selected?.anchor.id);
    }
    if (changed.has('show')) this.layer?.setVisible(this.show.anchors);
    if (changed.has('mode') || changed.has('brushColor') || changed.has('brushSize')) this.layer?.setMode(this.mode, this.brushColor, this.brushSize);
  }

  override render() {
    const { w, h } = this.frame;
    return html`
      <div class="viewer-bar">
        <span class="viewer-title" title=${this.heading}>${this.heading}</span>
        <span class="viewer-slots" title="1-9 show a slot; Shift+1-9 binds the selected node">
          ${Array.from({ length: 9 }, (_, i) => html`<button class="slot ${this.slots[i] ? 'bound' : ''}" title=${this.slots[i] ?? `slot ${i + 1} (empty)`}
              ?disabled=${!this.slots[i]} @click=${() => this.emit({ type: 'show-slot', slot: i + 1 })}>${i + 1}</button>`)}
        </span>
      </div>
      <div class="viewer-tools">
        ${TOGGLES.map(([k, label, tip]) => html`<label class="chip" title=${tip}><input type="checkbox" data-toggle=${k} .checked=${this.show[k]}
            @change=${(e: Event) => (this.show = { ...this.show, [k]: (e.target as HTMLInputElement).checked })} />${label}</label>`)}
        <span class="sep"></span>
        <label class="chip" title="Paint colour strokes; each superpixel a stroke half covers becomes an anchor">
          <input type="checkbox" data-toggle="brush" .checked=${this.mode === 'brush'} ?disabled=${!this.editable || !this.affinity}
            @change=${(e: Event) => (this.mode = (e.target as HTMLInputElement).checked ? 'brush' : 'select')} />Brush</label>
        <input type="color" class="brush-color" title="Brush colour" .value=${this.brushColor} @input=${(e: Event) => (this.brushColor = (e.target as HTMLInputElement).value)} />
        <input type="range" class="brush-size" min="4" max="60" title="Brush size" .value=${String(this.brushSize)} @input=${(e: Event) => (this.brushSize = Number((e.target as HTMLInputElement).value))} />
        <span class="grow"></span>
        <span class="zoom-tools" title="Zoom: mouse wheel. Pan: drag the background, the middle button, or Space + drag">
          <button class="tool" data-zoom="fit" title="Fit the image into the viewer" @click=${() => this.setZoom(undefined)}>Fit</button>
          <button class="tool" data-zoom="100" title="One image pixel per screen pixel" @click=${() => this.setZoom(1)}>100%</button>
          <span class="zoom-level">${this.image ? `${Math.round(this.scale * 100)}%` : ''}</span>
        </span>
        <button class="tool" title="Run Anchor Colors variants 0-3 and show the results as a strip" @click=${() => this.emit({ type: 'diverse' })}>Diverse</button>
        <button class="tool" id="export-png" title="Download the result as PNG with the workflow inside (drop it on the editor to reopen)" @click=${() => this.emit({ type: 'export' })}>Export PNG</button>
      </div>
      <div class="viewer-stage" @wheel=${(e: WheelEvent) => this.onWheel(e)} @pointerdown=${{ handleEvent: (e: PointerEvent) => this.startPan(e), capture: true }}
        @pointerleave=${() => (this.hover = undefined)}>
        ${this.image ? nothing : html`<div class="viewer-empty">Click a node's thumbnail (or "View" in its menu) to see its image here.<br />Run a workflow with User Anchors to edit anchors.</div>`}
        <div class="viewer-frame" style="width:${w}px;height:${h}px;transform:translate(${this.pan.x}px, ${this.pan.y}px);visibility:${this.image ? 'visible' : 'hidden'}"
          @pointermove=${(e: PointerEvent) => this.onHover(e)} @pointerleave=${() => (this.hover = undefined)}>
          <canvas class="img-after"></canvas>
          <canvas class="img-before" style="clip-path: inset(0 ${(1 - this.split) * 100}% 0 0); display:${this.show.split && this.beforeImage ? 'block' : 'none'}"></canvas>
          <canvas class="raster"></canvas>
          ${this.renderAssoc()}
          <div class="anchor-layer" style="pointer-events:${this.show.anchors || this.mode === 'brush' ? 'auto' : 'none'}"></div>
          ${this.show.split && this.beforeImage ? html`<input class="split-slider" type="range" min="0" max="1" step="0.001" .value=${String(this.split)}
              title="Before | after" @input=${(e: Event) => (this.split = Number((e.target as HTMLInputElement).value))} />` : nothing}
        </div>
        ${this.renderHover()}
        ${this.referenceImage ? html`<disco-reference-view .image=${this.referenceImage} .labels=${this.referenceLabels} .anchor=${this.focusAnchor}></disco-reference-view>` : nothing}
        ${this.selected ? html`<disco-anchor-popover .anchor=${this.selected.anchor} .swatches=${swatchesFor(this.suggestions, this.selected.anchor.cell)}
            style="left:${Math.min(this.selected.x, innerWidth - 310)}px;top:${Math.min(this.selected.y, innerHeight - 190)}px"
            @popover-close=${() => this.closePopover()}></disco-anchor-popover>` : nothing}
      </div>
      ${this.note ? html`<div class="viewer-note">${this.note}</div>` : nothing}
      ${this.gallery.length ? html`<div class="gallery">${this.gallery.map((g, i) => html`<button class="gallery-item ${g.picked ? 'picked' : ''}" title="Use the anchor colours of ${g.label}"
          @click=${() => this.emit({ type: 'pick-variant', index: i })}><img src=${g.url} alt=${g.label} /><span>${g.label}</span></button>`)}</div>` : nothing}
    `;
  }

  /** The anchor the reference view explains: the one under the pointer, else the one being edited. */
  get focusAnchor(): ViewAnchor | undefined {
    const id = this.hoveredAnchorId ?? this.selected?.anchor.id;
    return id === undefined ? undefined : this.anchors.find((a) => a.id === id);
  }

  private emit(action: ViewerAction): void {
    this.dispatchEvent(new ViewerActionEvent(action));
  }

  private fit(): void {
    const stage = this.querySelector<HTMLElement>('.viewer-stage');
    if (!stage || !this.image) return;
    const r = stage.getBoundingClientRect();
    const fitted = Math.min((r.width - 16) / this.image.width, (r.height - 16) / this.image.height);
    // The anchor layer is a canvas of the frame's size: keep it within what browsers allow.
    const s = Math.max(1e-3, Math.min(this.zoom ?? fitted, MAX_FRAME / Math.max(this.image.width, this.image.height)));
    const next = { w: Math.max(1, Math.floor(this.image.width * s)), h: Math.max(1, Math.floor(this.image.height * s)) };
    if (next.w !== this.frame.w || next.h !== this.frame.h) this.frame = next;
  }

  /** The wheel zooms about the point under the cursor. */
  private onWheel(e: WheelEvent): void {
    if (!this.image) return;
    e.preventDefault();
    const stage = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const from = this.scale;
    const to = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, from * Math.exp(-e.deltaY * 0.0015)));
    // The cursor relative to the stage centre stays over the same image point.
    const cx = e.clientX - (stage.left + stage.width / 2), cy = e.clientY - (stage.top + stage.height / 2);
    const k = to / from;
    this.setZoom(to, { x: cx - (cx - this.pan.x) * k, y: cy - (cy - this.pan.y) * k });
  }

  /** Drag on the background, with the middle button, or with Space held pans the image. */
  private startPan(e: PointerEvent): void {
    const onImage = !!(e.target as HTMLElement).closest('.viewer-frame');
    if (!this.image || !(e.button === 1 || this.spaceHeld || (e.button === 0 && !onImage && !(e.target as HTMLElement).closest('disco-anchor-popover, .hover-tip')))) return;
    e.preventDefault();
    e.stopPropagation(); // the anchor layer never sees a pan
    this.panning = { x: e.clientX, y: e.clientY, pan: this.pan };
    this.hover = undefined;
    const move = (m: PointerEvent) => {
      const p = this.panning;
      if (p) this.pan = { x: p.pan.x + m.clientX - p.x, y: p.pan.y + m.clientY - p.y };
    };
    const up = () => {
      this.panning = undefined;
      removeEventListener('pointermove', move);
      removeEventListener('pointerup', up);
    };
    addEventListener('pointermove', move);
    addEventListener('pointerup', up);
  }

  private closePopover(): void {
    this.selected = undefined;
    this.hover = undefined; // the hover swatches come back on the next move, where the pointer is then
  }

  /** After a click added an anchor: select the user anchor nearest that click and open its popover. */
  private selectAdded(): void {
    const p = this.pendingSelect!;
    this.pendingSelect = undefined;
    let best: ViewAnchor | undefined;
    let bestD = 0.15;
    for (const a of this.anchors) {
      const d = Math.hypot(a.x - p.x, a.y - p.y);
      if (a.source === 'user' && d < bestD) [best, bestD] = [a, d];
    }
    if (best) this.selected = { anchor: best, x: p.at.x, y: p.at.y };
  }

  private paint(selector: string, bitmap: ImageBitmap | undefined): void {
    const c = this.querySelector<HTMLCanvasElement>(selector);
    if (!c || !bitmap) return;
    // Setting a canvas's size, even to the same, gives it fresh pixel memory: only when it changes.
    if (c.width !== bitmap.width || c.height !== bitmap.height) {
      c.width = bitmap.width;
      c.height = bitmap.height;
    }
    const ctx = c.getContext('2d')!;
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.drawImage(bitmap, 0, 0);
  }

  private paintOverlay(): void {
    const c = this.querySelector<HTMLCanvasElement>('.raster');
    const a = this.affinity;
    if (!c) return;
    const clusters = this.show.clusters ? this.clusters : undefined;
    if (!a || (!this.show.boundaries && !clusters)) {
      c.width = c.height = 1;
      c.getContext('2d')!.clearRect(0, 0, 1, 1);
      return;
    }
    // Only the photo's part of the map: the canvas is stretched over the photo, not over the padding.
    const { width, height } = photoRegion(a);
    c.width = width;
    c.height = height;
    const data = overlayPixels(a, { boundaries: this.show.boundaries, clusters });
    c.getContext('2d')!.putImageData(new ImageData(data as Uint8ClampedArray<ArrayBuffer>, a.W, a.H), 0, 0, 0, 0, width, height);
  }

  private onHover(e: PointerEvent): void {
    if (this.panning) return;
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const stage = this.querySelector<HTMLElement>('.viewer-stage')!.getBoundingClientRect();
    this.hover = { x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height, pageX: e.clientX - stage.left, pageY: e.clientY - stage.top };
  }

  /** The working-size pixel under the cursor (through the photo's content frame), its token and its cell. */
  private hovered(): { p: number; label: number; row: number; col: number } | undefined {
    const a = this.affinity;
    const at = a && this.hover && pixelAt(a, this.hover.x, this.hover.y);
    if (!a || !at) return undefined;
    return { p: at.p, label: a.labels[at.p], row: Math.floor(at.py / a.cell), col: Math.floor(at.px / a.cell) };
  }

  private renderAssoc() {
    const a = this.affinity, hv = this.hovered();
    if (!this.show.assoc || !a || !hv) return nothing;
    const [h, w] = [a.H / a.cell, a.W / a.cell];
    const cells = Array.from({ length: 9 }, (_, k) => {
      const [dy, dx] = kOffset(k);
      const r = hv.row + dy, c = hv.col + dx;
      if (r < 0 || r >= h || c < 0 || c >= w) return nothing;
      const at = cellCentreOnPhoto(a, a.cell, r, c);
      if (!at) return nothing; // a cell of the padding: not on the photo
      const v = a.assoc[k * a.H * a.W + hv.p];
      return html`<span class="assoc-num ${v >= 0.5 ? 'strong' : ''}" style="left:${at.x * 100}%;top:${at.y * 100}%">${v.toFixed(2)}</span>`;
    });
    return html`<div class="assoc-layer">${cells}</div>`;
  }

  private renderHover() {
    const hv = this.hovered();
    if (!hv || !this.suggestions || this.mode === 'brush' || this.selected) return nothing;
    const list = swatchesFor(this.suggestions, hv.label);
    // Beside the cursor, on whichever side keeps the whole tip inside the stage.
    const stage = this.querySelector<HTMLElement>('.viewer-stage')!.getBoundingClientRect();
    const { pageX: x, pageY: y } = this.hover!;
    const left = x + 14 + TIP.w <= stage.width ? x + 14 : Math.max(0, x - 14 - TIP.w);
    const top = y + 14 + TIP.h <= stage.height ? y + 14 : Math.max(0, y - 14 - TIP.h);
    return html`<div class="hover-tip" style="left:${left}px;top:${top}px">
      <div class="hover-title">superpixel ${hv.label}: top-10 colours</div>${renderSwatches(list)}</div>`;
  }

  private strokeDone(path: string, width: number): void {
    const a = this.affinity;
    if (!a || !this.editable) return;
    // The stroke lies on the photo: its part of the map is the content frame (the padding stays unpainted).
    const c = new OffscreenCanvas(a.W, a.H);
    const ctx = c.getContext('2d')!;
    const photo = photoRegion(a);
    ctx.scale(photo.width / this.frame.w, photo.height / this.frame.h);
    ctx.lineWidth = width;
    ctx.lineCap = ctx.lineJoin = 'round';
    ctx.stroke(new Path2D(path));
    const rgba = ctx.getImageData(0, 0, a.W, a.H).data;
    const mask = new Uint8Array(a.W * a.H);
    for (let i = 0; i < mask.length; i++) mask[i] = rgba[4 * i + 3] > 0 ? 1 : 0;
    this.emit({ type: 'stroke', mask, W: a.W, H: a.H, color: this.brushColor });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'disco-viewer': DiscoViewer;
  }
}
