/** Lab to RGB: float Lab -> 8-bit sRGB (clipped, truncated), cropped to the content frame. */
import { defineNode } from '../../runtime/engine/node-def.ts';
import { IMAGE, LAB } from '../../runtime/values/value-types.ts';

export const labToRgb = defineNode({
  id: 'disco/lab-to-rgb',
  version: 1,
  displayName: 'Lab to RGB',
  category: 'DISCO/color',
  description: 'Converts Lab back to an 8-bit picture (out-of-gamut colours are clipped), keeping only the content frame.',
  inputs: { lab: { type: LAB, description: 'Lab [1,3,H,W].' } },
  params: {},
  outputs: { image: { type: IMAGE, description: 'The picture, content-frame size.' } },
  async execute(ctx, inputs) {
    const { lab, content } = inputs.lab;
    const full = content.width === lab.shape[3] && content.height === lab.shape[2];
    // A same-size resize of the content region is an exact crop (every tap has weight 0 or 1).
    const cropped = full ? lab : await ctx.backend.resize(lab, content, { from: content });
    const image = await ctx.backend.labToRgb(cropped);
    if (!full) ctx.backend.release(cropped);
    return { image };
  },
});
