/**
 * <disco-reference-view>: the reference photo, small, in a corner of the viewer (workflows that
 * colour anchors from a reference). Hovering or selecting an anchor whose colour was matched in the
 * reference picks out that reference superpixel (the rest dimmed) and says how confident the match
 * was. Data comes down as properties from the viewer; it fires nothing.
 */
import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { ViewAnchor } from './anchor-edits.ts';
import { regionPixels, type LabelMap } from './overlay-draw.ts';

/** The reference's superpixels: hard labels at its working size, and where the photo sits in it. */
export interface ReferenceLabels extends LabelMap {
  readonly cell: number;
  /** The un-padded top-left region of the working size (Keep Aspect pads bottom/right). */
  readonly content?: { readonly width: number; readonly height: number };
}

/** How the matched region is drawn: the superpixel's own pixels, or its cell's box when the labels do not fit. */
export type RegionShape = 'superpixel' | 'box';

@customElement('disco-reference-view')
export class ReferenceView extends LitElement {
  /** The reference photo (full size). */
  @property({ attribute: false }) image?: ImageBitmap;
  @property({ attribute: false }) labels?: ReferenceLabels;
  /** The anchor hovered or selected in the viewer. */
  @property({ attribute: false }) anchor?: ViewAnchor;
  @state() private collapsed = false;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  /** The reference token picked out now and how (tests read it). */
  get shown(): { token: number; shape: RegionShape; confidence: number } | undefined {
    const r = this.anchor?.reference;
    return r && this.image && !this.collapsed ? { token: r.token, shape: this.fits() ? 'superpixel' : 'box', confidence: r.confidence } : undefined;
  }

  override render() {
    return html`
      <div class="ref-head">
        <span>Reference photo</span>
        <button class="icon" title=${this.collapsed ? 'Show the reference' : 'Hide the reference'} @click=${() => (this.collapsed = !this.collapsed)}>${this.collapsed ? '▴' : '▾'}</button>
      </div>
      <div class="ref-frame" style="display:${this.collapsed ? 'none' : 'block'}">
        <canvas class="ref-img"></canvas>
        <canvas class="ref-region"></canvas>
      </div>
      ${this.collapsed ? nothing : html`<div class="ref-caption">${this.caption()}</div>`}`;
  }

  protected override updated(changed: Map<string, unknown>): void {
    if (changed.has('image')) this.paintImage();
    if (changed.has('image') || changed.has('labels') || changed.has('anchor') || changed.has('collapsed')) this.paintRegion();
  }

  private caption() {
    const a = this.anchor, r = a?.reference;
    if (!this.image) return 'Run the workflow to see the reference.';
    if (!a) return 'Hover an anchor: where its colour came from.';
    if (a.colourBy === 'user') return 'Your colour: it overrides the reference.';
    if (!r) return 'The model’s colour: no match in the reference.';
    const conf = `confidence ${r.confidence.toFixed(2)}`;
    return a.colourBy === 'reference'
      ? html`From reference superpixel ${r.token} · <b>${conf}</b>`
      : html`Nearest: superpixel ${r.token} · ${conf}, too weak: the model’s colour.`;
  }

  /** The labels are on the matched token's grid: draw the superpixel itself. */
  private fits(): boolean {
    const m = this.labels, r = this.anchor?.reference;
    return !!m && !!r && m.H / m.cell === r.gridH && m.W / m.cell === r.gridW;
  }

  private paintImage(): void {
    const c = this.querySelector<HTMLCanvasElement>('.ref-img');
    if (!c) return;
    if (!this.image) return void (c.width = c.height = 1);
    c.width = this.image.width;
    c.height = this.image.height;
    c.getContext('2d')!.drawImage(this.image, 0, 0);
  }

  private paintRegion(): void {
    const c = this.querySelector<HTMLCanvasElement>('.ref-region');
    if (!c) return;
    const shown = this.shown, m = this.labels, img = this.image;
    c.style.width = c.style.height = '100%';
    if (!shown || !img) {
      c.width = c.height = 1;
      return c.getContext('2d')!.clearRect(0, 0, 1, 1);
    }
    if (shown.shape === 'superpixel' && m) {
      // Label pixels onto the photo: the content region covers the whole frame, the padding falls outside it.
      c.width = m.W;
      c.height = m.H;
      c.style.width = `${(m.W / (m.content?.width ?? m.W)) * 100}%`;
      c.style.height = `${(m.H / (m.content?.height ?? m.H)) * 100}%`;
      c.getContext('2d')!.putImageData(new ImageData(regionPixels(m, shown.token) as Uint8ClampedArray<ArrayBuffer>, m.W, m.H), 0, 0);
      return;
    }
    const [x0, y0, x1, y1] = this.anchor!.reference!.box;
    [c.width, c.height] = [img.width, img.height];
    const g = c.getContext('2d')!;
    const [bx, by, bw, bh] = [x0 * img.width, y0 * img.height, (x1 - x0) * img.width, (y1 - y0) * img.height];
    g.fillStyle = 'rgba(0,0,0,0.63)';
    g.fillRect(0, 0, img.width, img.height);
    g.clearRect(bx, by, bw, bh);
    g.strokeStyle = 'rgb(255,213,79)';
    g.lineWidth = Math.max(2, img.width / 150);
    g.strokeRect(bx, by, bw, bh);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'disco-reference-view': ReferenceView;
  }
}
