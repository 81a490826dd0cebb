/** Gray from Photo: drops the colour of a photo (a = b = 0 in Lab), so DISCO can be tried on colour photos. */
import { imageHasColor } from '../../runtime/backends/cpu/lab.ts';
import { defineNode } from '../../runtime/engine/node-def.ts';
import type { ImageValue } from '../../runtime/values/types.ts';
import { IMAGE } from '../../runtime/values/value-types.ts';

export const grayFromPhoto = defineNode({
  id: 'disco/gray-from-photo',
  version: 1,
  displayName: 'Gray from Photo',
  category: 'DISCO/color',
  description: 'Removes the chroma of a colour photo (Lab a = b = 0), keeping its lightness. A gray photo passes through unchanged.',
  inputs: { image: { type: IMAGE, description: 'Any photo.' } },
  params: {},
  outputs: { image: { type: IMAGE, description: 'Its gray version.' } },
  async execute(ctx, inputs) {
    const image = inputs.image as ImageValue;
    if (!imageHasColor(image)) return { image };
    ctx.warn('the photo had colour; it was dropped (Lab a = b = 0) so the colourisation starts from gray');
    return { image: await ctx.backend.dropChroma(image) };
  },
});
