/** Recombine: predicted colour at working size + the photo's own full-resolution lightness -> the result. */
import { defineNode } from '../../runtime/engine/node-def.ts';
import { GRAY, IMAGE, LAB, TENSOR } from '../../runtime/values/value-types.ts';

const ID = 'disco/recombine';

export const recombine = defineNode({
  id: ID,
  version: 1,
  displayName: 'Recombine',
  category: 'DISCO/color',
  description: 'Crops the predicted ab to the content frame, upscales it (bilinear) to the photo size and joins it with the original L (as the official DISCO demo does).',
  role: 'colorized',
  inputs: {
    photo: { type: LAB, description: 'The photo\'s Lab at its original size (only L is used).' },
    working: { type: GRAY, description: 'The working-size gray the ab was predicted from (gives the content frame).' },
    ab: { type: TENSOR, description: 'Predicted normalised ab (ab/110) [1,2,h,w] at working size.' },
  },
  params: {},
  outputs: { image: { type: IMAGE, description: 'The colourised photo at its original size.' } },
  async execute(ctx, inputs) {
    const photo = inputs.photo, working = inputs.working, ab = inputs.ab;
    const [h, w] = [working.L.shape[2], working.L.shape[3]];
    if (ab.shape[2] !== h || ab.shape[3] !== w) throw new Error(`${ID}: the ab input is ${ab.shape[3]}x${ab.shape[2]} but the working gray is ${w}x${h}`);
    return { image: await ctx.backend.recombine(photo, ab, working.content) };
  },
});
