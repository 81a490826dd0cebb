/** Color Modeler: colour features Fc and each superpixel's colour distribution (docs/disco-method.md §1 step 4, §8). */
import { defineNode } from '../../runtime/engine/node-def.ts';
import type { ColorDistValue, TokensValue } from '../../runtime/values/types.ts';
import { COLOR_DIST, MODEL, TOKENS } from '../../runtime/values/value-types.ts';
import { checkTokens, requireStage, runStage } from './model-inputs.ts';

const ID = 'disco/color-modeler';

export const colorModeler = defineNode({
  id: ID,
  version: 1,
  displayName: 'Color Modeler',
  category: 'DISCO/models',
  description: 'A transformer over the superpixel tokens: colour features (for the anchor locator) and a probability over the 313 ab bins per superpixel.',
  inputs: {
    tokens: { type: TOKENS, description: 'Backbone tokens [1,64,h,w] from SP-Pool.' },
    model: { type: MODEL, description: 'The color_modeler output of Load Model Set.' },
  },
  params: {},
  outputs: {
    features: { type: TOKENS, description: 'Colour features Fc [1,64,h,w] (same superpixels, so mass is kept).' },
    dist: { type: COLOR_DIST, description: 'softmax of the logits over the 313 bins [1,313,h,w].' },
  },
  async execute(ctx, inputs) {
    const model = requireStage(ID, inputs.model, 'color_modeler');
    const t = inputs.tokens;
    const [h, w] = checkTokens(ID, 'the tokens input', t.tokens, 64);
    const pos = await ctx.backend.positionEncoding(h, w);
    const out = await runStage(ctx, model, { tokens: t.tokens, pos });
    const features: TokensValue = { tokens: out.color_features, cell: t.cell, mass: t.mass, pooledAb: t.pooledAb };
    const dist: ColorDistValue = { probs: await ctx.backend.softmaxChannels(out.logits), cell: t.cell };
    ctx.backend.release(pos);
    ctx.backend.release(out.logits);
    return { features, dist };
  },
});
