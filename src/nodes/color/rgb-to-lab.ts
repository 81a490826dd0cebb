/** RGB to Lab: 8-bit sRGB -> float CIE Lab (D65), as the DISCO reference computes it (docs/disco-method.md §2). */
import { defineNode } from '../../runtime/engine/node-def.ts';
import type { LabValue } from '../../runtime/values/types.ts';
import { IMAGE, LAB } from '../../runtime/values/value-types.ts';

export const rgbToLab = defineNode({
  id: 'disco/rgb-to-lab',
  version: 1,
  displayName: 'RGB to Lab',
  category: 'DISCO/color',
  description: 'Converts a photo to float Lab (L 0..100, a and b unscaled) at its own size.',
  inputs: { image: { type: IMAGE, description: 'The photo.' } },
  params: {},
  outputs: { lab: { type: LAB, description: 'Lab [1,3,H,W]; the content frame is the whole image.' } },
  async execute(ctx, inputs) {
    const image = inputs.image;
    const lab: LabValue = { lab: await ctx.backend.rgbToLab(image), content: { width: image.width, height: image.height } };
    return { lab };
  },
});
