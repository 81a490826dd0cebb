/** Feature Extractor: the backbone's per-pixel features F (docs/disco-method.md §1 step 2, §5). */
import { defineNode } from '../../runtime/engine/node-def.ts';
import { GRAY, MODEL, TENSOR } from '../../runtime/values/value-types.ts';
import { cellOf, grayFeed, requireStage, runStage } from './model-inputs.ts';

const ID = 'disco/feature-extractor';

export const featureExtractor = defineNode({
  id: ID,
  version: 1,
  displayName: 'Feature Extractor',
  category: 'DISCO/models',
  description: 'The learned backbone: 64 non-negative features per pixel, pooled into superpixel tokens next.',
  inputs: {
    gray: { type: GRAY, description: 'L plane at the working size (a multiple of the cell).' },
    model: { type: MODEL, description: 'The backbone output of Load Model Set.' },
  },
  params: {},
  outputs: { features: { type: TENSOR, description: 'Pixel features [1,64,H,W].' } },
  async execute(ctx, inputs) {
    const model = requireStage(ID, inputs.model, 'backbone');
    const gray = await grayFeed(ctx, ID, inputs.gray, cellOf(model));
    const { features } = await runStage(ctx, model, { gray });
    ctx.backend.release(gray);
    return { features };
  },
});
