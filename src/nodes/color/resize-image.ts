/** Resize Image: the 8-bit picture resized as OpenCV's cv2.resize(INTER_LINEAR) does on uint8 (the official script's first step). */
import { defineNode, int } from '../../runtime/engine/node-def.ts';
import { IMAGE } from '../../runtime/values/value-types.ts';

export const resizeImage = defineNode({
  id: 'disco/resize-image',
  version: 1,
  displayName: 'Resize Image',
  category: 'DISCO/color',
  description: 'Resizes an 8-bit picture to width x height exactly as OpenCV\'s INTER_LINEAR does on uint8 (fixed-point weights). The official inference script resizes the photo to 256 x 256 this way before Lab, and saves its result at that size.',
  inputs: { image: { type: IMAGE, description: 'Any picture.' } },
  params: {
    width: int({ default: 256, min: 1, max: 8192, description: 'Output width in pixels.' }),
    height: int({ default: 256, min: 1, max: 8192, description: 'Output height in pixels.' }),
  },
  outputs: { image: { type: IMAGE, description: 'The resized picture (alpha resized too).' } },
  async execute(ctx, inputs, params) {
    const image = inputs.image;
    return { image: await ctx.backend.resizeImage(image, { width: params.width, height: params.height }) };
  },
});
