/**
 * Lab Tokens: the Lab image pooled per superpixel, the feature side of the training-free path (the
 * propagation's sigma is then in Lab units). Tokens are [1,3,h,w] = mean L (0..100), a, b.
 */
import { defineNode } from '../../runtime/engine/node-def.ts';
import type { TokensValue } from '../../runtime/values/types.ts';
import { AFFINITY, LAB, TOKENS } from '../../runtime/values/value-types.ts';

export const labTokens = defineNode({
  id: 'disco/lab-tokens',
  version: 1,
  displayName: 'Lab Tokens',
  category: 'DISCO/superpixels',
  description: 'Mean Lab colour of each soft superpixel (SP-Pooling of the Lab image), as tokens for training-free propagation.',
  inputs: {
    lab: { type: LAB, description: 'Lab image at the association map size.' },
    affinity: { type: AFFINITY, description: 'The association map [1,9,H,W].' },
  },
  params: {},
  outputs: {
    tokens: { type: TOKENS, description: 'Tokens [1,3,h,w]: pooled L, a, b in Lab units, with their mass.' },
  },
  async execute(ctx, inputs) {
    const affinity = inputs.affinity;
    const { pooled, mass } = await ctx.backend.spPool(inputs.lab.lab, affinity.assoc, affinity.cell);
    const tokens: TokensValue = { tokens: pooled, cell: affinity.cell, mass, content: affinity.content ?? inputs.lab.content };
    return { tokens };
  },
});
