/** Color Generator: tokens conditioned on the anchors' colours (docs/disco-method.md §1 step 7, §8). */
import { defineNode } from '../../runtime/engine/node-def.ts';
import type { ColorDistValue, TokensValue } from '../../runtime/values/types.ts';
import { ANCHORS, COLOR_DIST, MODEL, TOKENS } from '../../runtime/values/value-types.ts';
import { checkTokens, requireStage, runStage } from './model-inputs.ts';

const ID = 'disco/color-generator';

export const colorGenerator = defineNode({
  id: ID,
  version: 1,
  displayName: 'Color Generator',
  category: 'DISCO/models',
  description: 'A transformer that spreads the anchors\' colours over all superpixel tokens; SP-Diffuse and Refine turn its tokens into ab.',
  inputs: {
    tokens: { type: TOKENS, description: 'Backbone tokens [1,64,h,w] from SP-Pool (not the colour features).' },
    anchors: { type: ANCHORS, description: 'Anchors with colour bins (from Anchor Colors).' },
    model: { type: MODEL, description: 'The color_generator output of Load Model Set.' },
  },
  params: {},
  outputs: {
    tokens: { type: TOKENS, description: 'Generator tokens G [1,64,h,w].' },
    dist: { type: COLOR_DIST, description: 'Preview: softmax of the auxiliary logits [1,313,h,w].' },
  },
  async execute(ctx, inputs) {
    const model = requireStage(ID, inputs.model, 'color_generator');
    const t = inputs.tokens;
    const anchors = inputs.anchors;
    const [h, w] = checkTokens(ID, 'the tokens input', t.tokens, 64);
    if (anchors.gridH !== h || anchors.gridW !== w) {
      throw new Error(`${ID}: the anchors are on a ${anchors.gridH}x${anchors.gridW} grid but the tokens are ${h}x${w}`);
    }
    const pos = await ctx.backend.positionEncoding(h, w);
    const { mask, onehot } = await ctx.backend.anchorInputs(anchors, h, w);
    const out = await runStage(ctx, model, { tokens: t.tokens, pos, mask, onehot });
    for (const x of [pos, mask, onehot]) ctx.backend.release(x);
    const tokens: TokensValue = { tokens: out.gen_tokens, cell: t.cell, mass: t.mass };
    const dist: ColorDistValue = { probs: await ctx.backend.softmaxChannels(out.aux_logits), cell: t.cell };
    ctx.backend.release(out.aux_logits);
    return { tokens, dist };
  },
});
