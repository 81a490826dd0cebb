/** Normalize ab: the a, b planes of a Lab value scaled by 1/110 (a reference colour image for SP-Pool). */
import { defineNode } from '../../runtime/engine/node-def.ts';
import { LAB, TENSOR } from '../../runtime/values/value-types.ts';

export const normalizeAb = defineNode({
  id: 'disco/normalize-ab',
  version: 1,
  displayName: 'Normalize ab',
  category: 'DISCO/color',
  description: 'Takes a and b of a Lab value, scaled to the networks\' range: ab / 110.',
  inputs: { lab: { type: LAB, description: 'Lab [1,3,H,W].' } },
  params: {},
  outputs: { ab_n: { type: TENSOR, description: 'Normalised ab [1,2,H,W].' } },
  async execute(ctx, inputs) {
    const ab = await ctx.backend.sliceChannels(inputs.lab.lab, 1, 2);
    const ab_n = await ctx.backend.normalizeLab(ab, 'ab');
    ctx.backend.release(ab);
    return { ab_n };
  },
});
