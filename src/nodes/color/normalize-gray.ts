/** Normalize Gray: L -> (L-50)/50, the networks' gray input. */
import { defineNode } from '../../runtime/engine/node-def.ts';
import { GRAY, TENSOR } from '../../runtime/values/value-types.ts';

export const normalizeGray = defineNode({
  id: 'disco/normalize-gray',
  version: 1,
  displayName: 'Normalize Gray',
  category: 'DISCO/color',
  description: 'Scales lightness to the networks\' range: gray = (L - 50) / 50, in -1..1.',
  inputs: { gray: { type: GRAY, description: 'L plane [1,1,H,W].' } },
  params: {},
  outputs: { gray_n: { type: TENSOR, description: 'Normalised gray [1,1,H,W].' } },
  async execute(ctx, inputs) {
    return { gray_n: await ctx.backend.normalizeLab(inputs.gray.L, 'L') };
  },
});
