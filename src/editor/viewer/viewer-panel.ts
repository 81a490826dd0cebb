/**
 * <disco-viewer>: the large viewer beside the graph. Shows one node's image at full size, a
 * before/after split against the photo, toggled overlays (superpixel boundaries, the 9-way
 * association under the cursor, anchors, k-means clusters), the top-10 colours of the hovered
 * superpixel, and anchor editing (popover, drag, add, delete, lock, brush). Data comes down as
 * properties from the ViewerController; every user action goes up as a ViewerActionEvent.
 * `image-drawn` fires once each new image has been painted.
 */
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { kOffset } from '../../runtime/backends/ops/superpixel-ops.ts';
import type { ViewAnchor } from './anchor-edits.ts';
import { AnchorLayer } from './anchor-layer.ts';
import './anchor-popover.ts';
import { overlayPixels, type LabelMap } from './overlay-draw.ts';
import { renderSwatches, swatchesFor } from './swatches.ts';
import { ViewerActionEvent, type Suggestions, type ViewerAction } from './viewer-events.ts';

export interface AffinityView extends LabelMap {
  readonly cell: number;
  /** The association map [9*H*W]. */
  readonly assoc: Float32Array;
}

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
  @property({ attribute: false }) gallery: { url: string; label: string }[] = [];
  @property() note = '';

  @state() private show: Record<Toggle, boolean> = { split: false, boundaries: false, assoc: false, anchors: true, clusters: false };
  @state() private split = 0.5;
  @state() private mode: 'select' | 'brush' = 'select';
  /** The brush colour, also given to anchors added by a click when no model chooses colours. */
  @property({ attribute: false }) brushColor = '#e05a2a';
  @state() private brushSize = 18;
  @state() private hover?: { x: number; y: number; pageX: number; pageY: number };
  @state() private selected?: { anchor: ViewAnchor; x: number; y: number };
  @state() private frame = { w: 0, h: 0 };

  private layer?: AnchorLayer;
  private resize?: ResizeObserver;
  private readonly onKey = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (!this.selected || t.closest('input, textarea, select')) return;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      // Capture phase + stop: the graph canvas would otherwise delete its selected nodes too.
      e.preventDefault();
      e.stopPropagation();
      this.emit({ type: 'remove', anchor: this.selected.anchor });
      this.selected = undefined;
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      this.selected = undefined;
    }
  };

  protected override createRenderRoot(): HTMLElement {
    return this; // light DOM: fabric's wrapper elements and the app stylesheet work as usual
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onKey, true);
    this.resize?.disconnect();
    this.layer?.dispose();
  }

  /** The frame's size in page pixels (the image fitted into the stage). */
  get frameSize(): { w: number; h: number } {
    return this.frame;
  }

  protected override firstUpdated(): void {
    const stage = this.querySelector<HTMLElement>('.viewer-stage')!;
    this.layer = new AnchorLayer(this.querySelector<HTMLElement>('.anchor-layer')!, {
      select: (a, at) => (this.selected = a ? { anchor: a, x: at.x, y: at.y } : undefined),
      moved: (a, x, y) => this.emit({ type: 'move', anchor: a, x, y }),
      addAt: (x, y) => this.editable && this.emit({ type: 'add', x, y }),
      stroke: (path, width) => this.strokeDone(path, width),
    });
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(stage);
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('image')) this.fit();
    if (changed.has('image') || changed.has('frame')) this.paint('.img-after', this.image);
    // A new image is on screen: tests and `npm run bench` time edits to this event.
    if (changed.has('image') && this.image) this.dispatchEvent(new Event('image-drawn'));
    if (changed.has('beforeImage') || changed.has('frame')) this.paint('.img-before', this.beforeImage);
    if (changed.has('affinity') || changed.has('clusters') || changed.has('show')) this.paintOverlay();
    if (changed.has('frame')) this.layer?.setSize(this.frame.w, this.frame.h);
    if (changed.has('anchors') || changed.has('selected') || changed.has('frame')) {
      const sel = this.selected && this.anchors.find((a) => a.id === this.selected!.anchor.id);
      if (this.selected && !sel) this.selected = undefined;
      this.layer?.setAnchors(this.anchors, sel?.id);
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
        <button class="tool" title="Run Anchor Colors variants 0-3 and show the results as a strip" @click=${() => this.emit({ type: 'diverse' })}>Diverse</button>
        <button class="tool" id="export-png" title="Download the result as PNG with the workflow inside (drop it on the editor to reopen)" @click=${() => this.emit({ type: 'export' })}>Export PNG</button>
      </div>
      <div class="viewer-stage">
        ${this.image ? nothing : html`<div class="viewer-empty">Click a node's thumbnail (or "View" in its menu) to see its image here.<br />Run a workflow with User Anchors to edit anchors.</div>`}
        <div class="viewer-frame" style="width:${w}px;height:${h}px;visibility:${this.image ? 'visible' : 'hidden'}"
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
        ${this.selected ? html`<disco-anchor-popover .anchor=${this.selected.anchor} .swatches=${swatchesFor(this.suggestions, this.selected.anchor.cell)}
            style="left:${Math.min(this.selected.x, innerWidth - 310)}px;top:${Math.min(this.selected.y, innerHeight - 190)}px"
            @popover-close=${() => (this.selected = undefined)}></disco-anchor-popover>` : nothing}
      </div>
      ${this.note ? html`<div class="viewer-note">${this.note}</div>` : nothing}
      ${this.gallery.length ? html`<div class="gallery">${this.gallery.map((g, i) => html`<button class="gallery-item" title="Use the anchor colours of ${g.label}"
          @click=${() => this.emit({ type: 'pick-variant', index: i })}><img src=${g.url} alt=${g.label} /><span>${g.label}</span></button>`)}</div>` : nothing}
    `;
  }

  private emit(action: ViewerAction): void {
    this.dispatchEvent(new ViewerActionEvent(action));
  }

  private fit(): void {
    const stage = this.querySelector<HTMLElement>('.viewer-stage');
    if (!stage || !this.image) return;
    const r = stage.getBoundingClientRect();
    const s = Math.min((r.width - 16) / this.image.width, (r.height - 16) / this.image.height);
    const next = { w: Math.max(1, Math.floor(this.image.width * s)), h: Math.max(1, Math.floor(this.image.height * s)) };
    if (next.w !== this.frame.w || next.h !== this.frame.h) this.frame = next;
  }

  private paint(selector: string, bitmap: ImageBitmap | undefined): void {
    const c = this.querySelector<HTMLCanvasElement>(selector);
    if (!c || !bitmap) return;
    c.width = bitmap.width;
    c.height = bitmap.height;
    c.getContext('2d')!.drawImage(bitmap, 0, 0);
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
    c.width = a.W;
    c.height = a.H;
    const data = overlayPixels(a, { boundaries: this.show.boundaries, clusters });
    c.getContext('2d')!.putImageData(new ImageData(data as Uint8ClampedArray<ArrayBuffer>, a.W, a.H), 0, 0);
  }

  private onHover(e: PointerEvent): void {
    const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
    this.hover = { x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height, pageX: e.clientX - r.left, pageY: e.clientY - r.top };
  }

  /** The working-size pixel under the cursor, its token and its cell. */
  private hovered(): { p: number; label: number; row: number; col: number } | undefined {
    const a = this.affinity;
    if (!a || !this.hover || this.hover.x < 0 || this.hover.x >= 1 || this.hover.y < 0 || this.hover.y >= 1) return undefined;
    const px = Math.floor(this.hover.x * a.W), py = Math.floor(this.hover.y * a.H);
    const p = py * a.W + px;
    return { p, label: a.labels[p], row: Math.floor(py / a.cell), col: Math.floor(px / a.cell) };
  }

  private renderAssoc() {
    const a = this.affinity, hv = this.hovered();
    if (!this.show.assoc || !a || !hv) return nothing;
    const [h, w] = [a.H / a.cell, a.W / a.cell];
    const cells = Array.from({ length: 9 }, (_, k) => {
      const [dy, dx] = kOffset(k);
      const r = hv.row + dy, c = hv.col + dx;
      if (r < 0 || r >= h || c < 0 || c >= w) return nothing;
      const v = a.assoc[k * a.H * a.W + hv.p];
      return html`<span class="assoc-num ${v >= 0.5 ? 'strong' : ''}" style="left:${((c + 0.5) / w) * 100}%;top:${((r + 0.5) / h) * 100}%">${v.toFixed(2)}</span>`;
    });
    return html`<div class="assoc-layer">${cells}</div>`;
  }

  private renderHover() {
    const hv = this.hovered();
    if (!hv || !this.suggestions || this.mode === 'brush' || this.selected) return nothing;
    const list = swatchesFor(this.suggestions, hv.label);
    return html`<div class="hover-tip" style="left:${this.hover!.pageX + 14}px;top:${this.hover!.pageY + 14}px">
      <div class="hover-title">superpixel ${hv.label}: top-10 colours</div>${renderSwatches(list)}</div>`;
  }

  private strokeDone(path: string, width: number): void {
    const a = this.affinity;
    if (!a || !this.editable) return;
    const c = new OffscreenCanvas(a.W, a.H);
    const ctx = c.getContext('2d')!;
    ctx.scale(a.W / this.frame.w, a.H / this.frame.h);
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
