/** Resize to Working Size: the Lab photo at the size the networks run at (DISCO: 256 x 256). */
import { bool, defineNode, int } from '../../runtime/engine/node-def.ts';
import type { LabValue } from '../../runtime/values/types.ts';
import { LAB } from '../../runtime/values/value-types.ts';

export const resizeToWorking = defineNode({
  id: 'disco/resize-to-working',
  version: 1,
  displayName: 'Resize to Working Size',
  category: 'DISCO/color',
  description: 'Bilinear resize (OpenCV INTER_LINEAR) of the Lab photo to size x size. Keep Aspect fits the photo and edge-pads the rest; Recombine crops it back.',
  inputs: { lab: { type: LAB, description: 'Lab photo, any size.' } },
  params: {
    size: int({ default: 256, min: 32, max: 1024, step: 16, description: 'Working size in pixels (a multiple of 16; DISCO was trained at 256).' }),
    keepAspect: bool({ default: false, description: 'Fit without stretching; pad bottom/right by repeating the edge.' }),
  },
  outputs: { lab: { type: LAB, description: 'Lab [1,3,size,size] with its content frame.' } },
  validate: (params) => ((params.size as number) % 16 === 0 ? undefined : `size must be a multiple of 16 (the superpixel cell), got ${params.size}`),
  async execute(ctx, inputs, params) {
    return { lab: await ctx.backend.resizeToWorking(inputs.lab as LabValue, params.size as number, params.keepAspect as boolean) };
  },
});
