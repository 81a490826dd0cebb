/** SP-Pooling (docs/disco-method.md §6): per-pixel features averaged over each soft superpixel into tokens. */
import { defineNode } from '../../runtime/engine/node-def.ts';
import type { Tensor } from '../../runtime/values/tensor.ts';
import type { TokensValue } from '../../runtime/values/types.ts';
import { AFFINITY, TENSOR, TOKENS } from '../../runtime/values/value-types.ts';

export const spPool = defineNode({
  id: 'disco/sp-pool',
  version: 1,
  displayName: 'Superpixel Pool',
  category: 'DISCO/superpixels',
  description: 'Averages pixel features over each soft superpixel (DISCO SP-Pooling), giving one token per superpixel.',
  inputs: {
    features: { type: TENSOR, description: 'Pixel features [1,C,H,W], e.g. the backbone features F.' },
    affinity: { type: AFFINITY, description: 'The association map [1,9,H,W].' },
    ab: { type: TENSOR, optional: true, description: 'Normalised ab [1,2,H,W] (ab/110) to pool along, e.g. for user colours.' },
  },
  params: {},
  outputs: {
    tokens: { type: TOKENS, description: 'Tokens [1,C,h,w] with their mass (prob_sum), and the pooled ab when given.' },
  },
  async execute(ctx, inputs) {
    const affinity = inputs.affinity;
    const { pooled, mass } = await ctx.backend.spPool(inputs.features, affinity.assoc, affinity.cell);
    let pooledAb: Tensor | undefined;
    if (inputs.ab) {
      const ab = await ctx.backend.spPool(inputs.ab, affinity.assoc, affinity.cell);
      ctx.backend.release(ab.mass); // the same mass as above
      pooledAb = ab.pooled;
    }
    const tokens: TokensValue = { tokens: pooled, cell: affinity.cell, mass, ...(pooledAb ? { pooledAb } : {}), ...(affinity.content ? { content: affinity.content } : {}) };
    return { tokens };
  },
});
