/** Superpixel Overlay: the hard superpixel boundaries drawn over a picture, for checking an affinity. */
import { color, defineNode } from '../../runtime/engine/node-def.ts';
import { AFFINITY, IMAGE } from '../../runtime/values/value-types.ts';

const hexRgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

export const superpixelOverlay = defineNode({
  id: 'disco/superpixel-overlay',
  version: 1,
  displayName: 'Superpixel Overlay',
  category: 'DISCO/superpixels',
  description: "Draws the superpixels' boundaries (each pixel's strongest neighbour cell) over an image of any size.",
  inputs: {
    image: { type: IMAGE, description: 'The picture to draw on (any size; the labels are scaled nearest).' },
    affinity: { type: AFFINITY, description: 'The association map at the working size.' },
  },
  params: {
    color: color({ default: '#ffe600', description: 'Boundary colour.' }),
  },
  outputs: {
    image: { type: IMAGE, description: 'The picture with boundaries drawn.' },
  },
  async execute(ctx, inputs, params) {
    const { assoc, cell } = inputs.affinity;
    return { image: await ctx.backend.superpixelOverlay(inputs.image, assoc, cell, hexRgb(params.color)) };
  },
});
