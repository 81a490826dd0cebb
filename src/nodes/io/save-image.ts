/** Save Image: an output node. The host writes the image (PNG with the workflow); the node passes it through. */
import { defineNode, str } from '../../runtime/engine/node-def.ts';
import type { ImageValue } from '../../runtime/values/types.ts';
import { IMAGE } from '../../runtime/values/value-types.ts';

export const saveImage = defineNode({
  id: 'disco/save-image',
  version: 1,
  displayName: 'Save Image',
  category: 'DISCO/io',
  description: 'Marks a result to save. The host writes it as <prefix>_NNNNN.png with the workflow embedded.',
  inputs: { image: { type: IMAGE, description: 'The picture to save.' } },
  params: { filename_prefix: str({ default: 'disco', description: 'File name prefix; the host appends a counter and .png.' }) },
  outputs: { image: { type: IMAGE, description: 'The same picture, for the host to write.' } },
  isOutput: true,
  validate: (params) => (/[\\/:*?"<>|]/.test(String(params.filename_prefix)) ? `filename_prefix must not contain any of \\ / : * ? " < > |` : undefined),
  execute: (_ctx, inputs) => ({ image: inputs.image as ImageValue }),
});
