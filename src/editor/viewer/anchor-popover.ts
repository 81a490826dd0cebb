/**
 * <disco-anchor-popover>: edits one anchor. Where its colour came from when that was the reference
 * photo (or a match too weak to use), the model's top-10 colours for its superpixel as swatches
 * (when the workflow has a colour model), the browser's colour picker, lock and delete. Any colour
 * picked here overrides the reference: the anchor becomes the user's. Fires ViewerActionEvents
 * (recolor, lock, remove) and `popover-close`.
 */
import { html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { hexToAb } from '../../nodes/anchors/user-anchors.ts';
import type { ViewAnchor } from './anchor-edits.ts';
import { renderSwatches, type Swatch } from './swatches.ts';
import { ViewerActionEvent, type ViewerAction } from './viewer-events.ts';

@customElement('disco-anchor-popover')
export class AnchorPopover extends LitElement {
  @property({ attribute: false }) anchor!: ViewAnchor;
  @property({ attribute: false }) swatches: Swatch[] = [];

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render() {
    const a = this.anchor;
    return html`
      <div class="popover-head">
        <span>${a.source === 'user' ? 'Your anchor' : 'Automatic anchor'} · superpixel ${a.cell}</span>
        <button class="icon" title="Close (Esc)" @click=${this.close}>✕</button>
      </div>
      ${this.renderSource(a)}
      ${this.swatches.length ? html`<div class="popover-label">Model suggestions (probability %)</div>` : html`<div class="popover-label">No colour model in this workflow: pick any colour.</div>`}
      ${renderSwatches(this.swatches, (s) => this.act({ type: 'recolor', anchor: a, color: { ab: s.ab } }))}
      <div class="popover-row">
        <label>Colour <input type="color" class="anchor-color" .value=${a.color ?? '#808080'}
          @change=${(e: Event) => this.act({ type: 'recolor', anchor: a, color: { ab: hexToAb((e.target as HTMLInputElement).value) } })} /></label>
        <button class="lock ${a.locked ? 'on' : ''}" title="A locked anchor keeps its place and colour" @click=${() => this.act({ type: 'lock', anchor: a })}>${a.locked ? 'Locked ✓' : 'Lock'}</button>
        <button class="delete" title="Delete (Del)" @click=${() => this.act({ type: 'remove', anchor: a }, true)}>Delete</button>
      </div>`;
  }

  /** Where the colour came from, when the reference photo had a say. */
  private renderSource(a: ViewAnchor) {
    const r = a.reference;
    if (!r) return nothing;
    const conf = r.confidence.toFixed(2);
    return a.colourBy === 'reference'
      ? html`<div class="popover-source from-reference">From reference (confidence ${conf}) · reference superpixel ${r.token}. Pick a colour to override it.</div>`
      : html`<div class="popover-source">Reference match too weak (confidence ${conf}): the model’s colour.</div>`;
  }

  private act(action: ViewerAction, close = false): void {
    this.dispatchEvent(new ViewerActionEvent(action));
    if (close) this.close();
  }

  private close(): void {
    this.dispatchEvent(new Event('popover-close', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'disco-anchor-popover': AnchorPopover;
  }
}
