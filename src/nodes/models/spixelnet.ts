/** SpixelNet: the learned soft superpixel association map A (docs/disco-method.md §1 step 1, §4). */
import { defineNode } from '../../runtime/engine/node-def.ts';
import type { AffinityValue } from '../../runtime/values/types.ts';
import { AFFINITY, GRAY, MODEL } from '../../runtime/values/value-types.ts';
import { cellOf, grayFeed, requireStage, runStage } from './model-inputs.ts';

const ID = 'disco/spixelnet';

export const spixelnet = defineNode({
  id: ID,
  version: 1,
  displayName: 'SpixelNet',
  category: 'DISCO/models',
  description: 'Learned superpixels: each pixel\'s soft association with the 9 cells around it (a softmax over 9 channels).',
  inputs: {
    gray: { type: GRAY, description: 'L plane at the working size (a multiple of the cell).' },
    model: { type: MODEL, description: 'The spixelnet output of Load Model Set.' },
  },
  params: {},
  outputs: { affinity: { type: AFFINITY, description: 'Association map [1,9,H,W].' } },
  async execute(ctx, inputs) {
    const model = requireStage(ID, inputs.model, 'spixelnet');
    const cell = cellOf(model);
    const gray = await grayFeed(ctx, ID, inputs.gray, cell);
    const { assoc } = await runStage(ctx, model, { gray });
    ctx.backend.release(gray);
    const affinity: AffinityValue = { assoc, cell, method: 'spixelnet', content: inputs.gray.content };
    return { affinity };
  },
});
