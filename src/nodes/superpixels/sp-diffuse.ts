/** SP-Diffusion (docs/disco-method.md §6): tokens spread back over the pixels through the association map. */
import { defineNode } from '../../runtime/engine/node-def.ts';
import { AFFINITY, TENSOR, TOKENS } from '../../runtime/values/value-types.ts';

const ID = 'disco/sp-diffuse';

export const spDiffuse = defineNode({
  id: ID,
  version: 1,
  displayName: 'Superpixel Diffuse',
  category: 'DISCO/superpixels',
  description: 'Spreads per-superpixel tokens back to the pixels, weighted by the association map (DISCO SP-Diffusion).',
  inputs: {
    tokens: { type: TOKENS, description: 'Tokens [1,C,h,w], e.g. the colour generator output G.' },
    affinity: { type: AFFINITY, description: 'The association map [1,9,H,W] the tokens belong to.' },
  },
  params: {},
  outputs: {
    features: { type: TENSOR, description: 'Pixel features [1,C,H,W].' },
  },
  async execute(ctx, inputs) {
    const { tokens, cell } = inputs.tokens;
    const affinity = inputs.affinity;
    if (cell !== affinity.cell) throw new Error(`${ID}: the tokens were pooled with cell ${cell} but the affinity has cell ${affinity.cell}`);
    return { features: await ctx.backend.spDiffuse(tokens, affinity.assoc, affinity.cell) };
  },
});
