/** Resize to Working Size: the Lab photo at the size the networks run at (official DISCO: 256 x 256, or its own size padded). */
import { bool, defineNode, int } from '../../runtime/engine/node-def.ts';
import { LAB } from '../../runtime/values/value-types.ts';

export const resizeToWorking = defineNode({
  id: 'disco/resize-to-working',
  version: 1,
  displayName: 'Resize to Working Size',
  category: 'DISCO/color',
  description: 'Bilinear resize (OpenCV INTER_LINEAR) of the Lab photo to size x size, as the official demo does. Keep Aspect fits the photo and edge-pads the rest. Full Size instead keeps the photo\'s size and edge-pads it to multiples of 16, as the official script\'s --no_resize does. Recombine crops back.',
  inputs: { lab: { type: LAB, description: 'Lab photo, any size.' } },
  params: {
    size: int({ default: 256, min: 32, max: 1024, step: 16, description: 'Working size in pixels (a multiple of 16; DISCO was trained at 256).' }),
    keepAspect: bool({ default: false, description: 'Fit without stretching; pad bottom/right by repeating the edge.' }),
    fullSize: bool({ default: false, description: 'No resize: the networks run at the photo\'s own size, padded bottom/right to multiples of 16 by repeating the edge (the official script\'s --no_resize). Size and Keep Aspect are then unused; large photos take much longer.' }),
  },
  outputs: { lab: { type: LAB, description: 'Lab [1,3,size,size] (or padded to multiples of 16) with its content frame.' } },
  validate: (params) => (params.size % 16 === 0 ? undefined : `size must be a multiple of 16 (the superpixel cell), got ${params.size}`),
  async execute(ctx, inputs, params) {
    return { lab: await ctx.backend.resizeToWorking(inputs.lab, params.size, params.keepAspect, params.fullSize) };
  },
});
