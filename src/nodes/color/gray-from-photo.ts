/** Gray from Photo: a colour photo as an 8-bit gray picture (Lab a = b = 0), for workflows that read a photo's whole Lab. */
import { imageHasColor } from '../../runtime/backends/cpu/lab.ts';
import { defineNode } from '../../runtime/engine/node-def.ts';
import { IMAGE } from '../../runtime/values/value-types.ts';

export const grayFromPhoto = defineNode({
  id: 'disco/gray-from-photo',
  version: 2,
  displayName: 'Gray from Photo',
  category: 'DISCO/color',
  description: 'Makes an 8-bit gray picture of a colour photo: OpenCV Lab with a = b = 0, back to RGB, truncated to bytes. The rounding moves lightness by up to about 0.5 L (0.1 on average), so the DISCO workflows take L from the photo itself instead. A gray photo passes through unchanged.',
  inputs: { image: { type: IMAGE, description: 'Any photo.' } },
  params: {},
  outputs: { image: { type: IMAGE, description: 'Its gray version.' } },
  async execute(ctx, inputs) {
    const image = inputs.image;
    if (!imageHasColor(image)) return { image };
    ctx.warn('the photo had colour; it was dropped (Lab a = b = 0) so the colourisation starts from gray');
    return { image: await ctx.backend.dropChroma(image) };
  },
});
