/**
 * Anchor Overlay: the image with every anchor drawn as a ringed dot at its normalised position.
 * The dot shows the anchor's ab at L = 65 (light enough for dark hues, dark enough for pale ones);
 * the ring is white, gold when the anchor is locked, and gray (with no dot) while it has no colour.
 */
import { float, defineNode } from '../../runtime/engine/node-def.ts';
import { labToRgbPixel } from '../../runtime/backends/cpu/lab.ts';
import type { Anchor, AnchorsValue, ImageValue } from '../../runtime/values/types.ts';
import { ANCHORS, IMAGE } from '../../runtime/values/value-types.ts';

const ID = 'disco/anchor-overlay';
const DOT_L = 65;
const RING = { plain: [255, 255, 255], locked: [255, 213, 79], uncoloured: [158, 158, 158] } as const;
const OUTLINE = [32, 32, 32] as const;

type RGB = readonly [number, number, number] | readonly number[];

function anchorRgb(a: Anchor): RGB | undefined {
  if (!a.ab) return undefined;
  return labToRgbPixel(DOT_L, a.ab[0], a.ab[1]).map((v) => Math.round(v * 255));
}

/** Draws one ringed dot of outer radius r (pixels) centred at (cx, cy) into RGBA `data`. */
function drawDot(img: { width: number; height: number; data: Uint8ClampedArray }, cx: number, cy: number, r: number, dot: RGB | undefined, ring: RGB): void {
  const inner = r * 0.62;
  const edge = r + Math.max(1, r * 0.15);
  const x0 = Math.max(0, Math.floor(cx - edge)), x1 = Math.min(img.width - 1, Math.ceil(cx + edge));
  const y0 = Math.max(0, Math.floor(cy - edge)), y1 = Math.min(img.height - 1, Math.ceil(cy + edge));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
      const c = d <= inner ? dot : d <= r ? ring : d <= edge ? OUTLINE : undefined;
      if (!c) continue;
      const o = (y * img.width + x) * 4;
      img.data[o] = c[0];
      img.data[o + 1] = c[1];
      img.data[o + 2] = c[2];
      img.data[o + 3] = 255;
    }
  }
}

export function drawAnchors(image: ImageValue, anchors: AnchorsValue, radiusFraction: number): ImageValue {
  const out = { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data), meta: image.meta };
  const r = Math.max(2, radiusFraction * Math.min(image.width, image.height));
  for (const a of anchors.anchors) {
    if (!(a.x >= 0 && a.x <= 1 && a.y >= 0 && a.y <= 1)) throw new Error(`${ID}: anchor at cell ${a.cell} has position (${a.x}, ${a.y}) outside 0..1`);
    const dot = anchorRgb(a);
    const ring = !dot ? RING.uncoloured : a.locked ? RING.locked : RING.plain;
    drawDot(out, a.x * image.width, a.y * image.height, r, dot, ring);
  }
  return out;
}

export const anchorOverlay = defineNode({
  id: ID,
  version: 1,
  displayName: 'Anchor Overlay',
  category: 'DISCO/anchors',
  description: 'Draws the anchors over an image as ringed dots in their colours (gray rings while uncoloured).',
  inputs: {
    image: { type: IMAGE, description: 'Any image of the photo (the anchors use normalised positions).' },
    anchors: { type: ANCHORS, description: 'The anchors to show.' },
  },
  params: {
    radius: float({ default: 0.02, min: 0.005, max: 0.1, step: 0.005, description: 'Dot radius as a fraction of the shorter image side.' }),
  },
  outputs: {
    image: { type: IMAGE, description: 'The image with the anchors drawn on it.' },
  },
  execute: (_ctx, inputs, params) => ({
    image: drawAnchors(inputs.image, inputs.anchors, params.radius),
  }),
});
