/** Anchor Colors: a colour bin for every anchor (docs/disco-method.md §10), from the colour model or a reference ab image. */
import { choice, defineNode, int } from '../../runtime/engine/node-def.ts';
import { ANCHORS, COLOR_DIST, TOKENS } from '../../runtime/values/value-types.ts';

const ID = 'disco/anchor-colors';

export const anchorColors = defineNode({
  id: ID,
  version: 1,
  displayName: 'Anchor Colors',
  category: 'DISCO/color',
  description: 'Colours each anchor: variant 0 takes the most probable bin; variant n > 0 the n-th most different of the top 10 (diverse results). User-coloured anchors keep their colour.',
  role: 'anchor-colors',
  inputs: {
    dist: { type: COLOR_DIST, optional: true, description: 'Colour probabilities [1,313,h,w] (needed in model mode).' },
    anchors: { type: ANCHORS, description: 'Where the anchors are.' },
    tokens: { type: TOKENS, optional: true, description: 'Pooled tokens with pooledAb (needed in reference-ab mode).' },
  },
  params: {
    variant: int({ default: 0, min: 0, max: 9, description: '0 = most probable colour; 1, 2, ... = increasingly different picks (1 and 2 are DISCO\'s T=1, T=2).' }),
    mode: choice({ default: 'model', options: ['model', 'reference-ab'], description: 'Colours from the colour model, or the pooled ab of a reference image.' }),
  },
  outputs: { anchors: { type: ANCHORS, description: 'The anchors, each with bin and ab.' } },
  async execute(ctx, inputs, params) {
    const dist = inputs.dist, tokens = inputs.tokens;
    const referenceAb = params.mode === 'reference-ab' ? tokens?.pooledAb : undefined;
    if (params.mode === 'reference-ab' && !referenceAb) throw new Error(`${ID}: reference-ab mode needs the tokens input with pooled ab (SP-Pool with an ab image)`);
    if (params.mode === 'model' && !dist) throw new Error(`${ID}: model mode needs the dist input (the colour modeler's distribution)`);
    const anchors = await ctx.backend.anchorColors(dist?.probs, inputs.anchors, { variant: params.variant, referenceAb });
    return { anchors };
  },
});
