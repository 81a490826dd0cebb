/** Refine: gray + diffused generator features -> normalised ab (docs/disco-method.md §1 step 9, §11). */
import { defineNode } from '../../runtime/engine/node-def.ts';
import { GRAY, MODEL, TENSOR } from '../../runtime/values/value-types.ts';
import { cellOf, checkPixels, grayFeed, requireStage, runStage } from './model-inputs.ts';

const ID = 'disco/refine';

export const refine = defineNode({
  id: ID,
  version: 1,
  displayName: 'Refine',
  category: 'DISCO/models',
  description: 'The learned refiner (an hourglass network + tanh): from the gray image and the diffused generator features to colour (ab/110).',
  inputs: {
    gray: { type: GRAY, description: 'L plane at the working size.' },
    features: { type: TENSOR, description: 'Generator tokens spread back over the pixels by SP-Diffuse [1,64,H,W].' },
    model: { type: MODEL, description: 'The refiner output of Load Model Set.' },
  },
  params: {},
  outputs: { ab: { type: TENSOR, description: 'Normalised ab (ab/110, in -1..1) [1,2,H,W].' } },
  async execute(ctx, inputs) {
    const model = requireStage(ID, inputs.model, 'refiner');
    const cell = cellOf(model);
    const grayValue = inputs.gray;
    const features = inputs.features;
    const [H, W] = checkPixels(ID, 'the features input', features, 64, cell);
    const [gH, gW] = [grayValue.L.shape[2], grayValue.L.shape[3]];
    if (gH !== H || gW !== W) throw new Error(`${ID}: the gray input is ${gW}x${gH} but the features are ${W}x${H}`);
    const gray = await grayFeed(ctx, ID, grayValue, cell);
    const { ab } = await runStage(ctx, model, { gray, features });
    ctx.backend.release(gray);
    return { ab };
  },
});
