/** Preview Image: an output node that shows a picture without saving it. */
import { defineNode } from '../../runtime/engine/node-def.ts';
import { IMAGE } from '../../runtime/values/value-types.ts';

export const previewImage = defineNode({
  id: 'disco/preview-image',
  version: 1,
  displayName: 'Preview Image',
  category: 'DISCO/preview',
  description: 'Shows a picture in the editor (nothing is written to disk).',
  inputs: { image: { type: IMAGE, description: 'The picture to show.' } },
  params: {},
  outputs: { image: { type: IMAGE, description: 'The same picture, for the host to display.' } },
  isOutput: true,
  execute: (_ctx, inputs) => ({ image: inputs.image }),
});
