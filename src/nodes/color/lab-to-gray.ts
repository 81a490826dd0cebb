/** Lab to Gray: the L plane of a Lab value (what the networks see). */
import { defineNode } from '../../runtime/engine/node-def.ts';
import type { GrayValue } from '../../runtime/values/types.ts';
import { GRAY, LAB } from '../../runtime/values/value-types.ts';

export const labToGray = defineNode({
  id: 'disco/lab-to-gray',
  version: 1,
  displayName: 'Lab to Gray',
  category: 'DISCO/color',
  description: 'Takes the lightness plane L (0..100) of a Lab value, with its content frame.',
  inputs: { lab: { type: LAB, description: 'Lab [1,3,H,W].' } },
  params: {},
  outputs: { gray: { type: GRAY, description: 'L [1,1,H,W].' } },
  async execute(ctx, inputs) {
    const { lab, content } = inputs.lab;
    const gray: GrayValue = { L: await ctx.backend.sliceChannels(lab, 0, 1), content };
    return { gray };
  },
});
