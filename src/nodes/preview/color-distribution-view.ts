/** Colour Distribution View: a picture of per-superpixel colour probabilities. */
import { defineNode, int } from '../../runtime/engine/node-def.ts';
import { COLOR_DIST, IMAGE } from '../../runtime/values/value-types.ts';

export const colorDistributionView = defineNode({
  id: 'disco/color-distribution-view',
  version: 1,
  displayName: 'Colour Distribution View',
  category: 'DISCO/preview',
  description: 'One tile per superpixel: its k most probable ab bins as colour bars (at L=70), bar length = probability.',
  inputs: { dist: { type: COLOR_DIST, description: 'Probabilities over the 313 ab bins [1,313,h,w].' } },
  params: { k: int({ default: 5, min: 1, max: 10, description: 'Bins shown per superpixel.' }) },
  outputs: { image: { type: IMAGE, description: 'A (32w)x(32h) picture, one 32-pixel tile per token.' } },
  async execute(ctx, inputs, params) {
    return { image: await ctx.backend.renderColorDist(inputs.dist.probs, params.k) };
  },
});
