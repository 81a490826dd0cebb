/** The top-10 colour bins of one superpixel as swatches (hover tooltip and the anchor popover). */
import { html, nothing, type TemplateResult } from 'lit';
import { AB_BINS } from '../../runtime/backends/common/ab-bins.ts';
import { abToHex } from './anchor-edits.ts';
import type { Suggestions } from './viewer-events.ts';

export interface Swatch {
  readonly ab: [number, number];
  readonly hex: string;
  readonly p: number;
}

export function swatchesFor(s: Suggestions | undefined, cell: number): Swatch[] {
  if (!s || cell < 0 || cell >= s.h * s.w) return [];
  const n = s.h * s.w;
  return Array.from({ length: s.k }, (_, r) => {
    const bin = s.bins[r * n + cell];
    const ab: [number, number] = [AB_BINS[2 * bin], AB_BINS[2 * bin + 1]];
    return { ab, hex: abToHex(ab), p: s.probs[r * n + cell] };
  });
}

export function renderSwatches(list: readonly Swatch[], pick?: (s: Swatch) => void): TemplateResult | typeof nothing {
  if (!list.length) return nothing;
  return html`<div class="swatches">${list.map((s) => html`<button class="swatch" title="ab (${s.ab.join(', ')}): ${(100 * s.p).toFixed(1)} %"
      style="background:${s.hex}" ?disabled=${!pick} @click=${() => pick?.(s)}><span>${Math.round(100 * s.p)}</span></button>`)}</div>`;
}
