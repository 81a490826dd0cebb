/** Save Image: an output node. The host writes the image (PNG with the workflow); the node passes it through. */
import { defineNode, str } from '../../runtime/engine/node-def.ts';
import { IMAGE } from '../../runtime/values/value-types.ts';

/** Longest prefix, in UTF-8 bytes: `<prefix>_NNNNN.png` and its temporary `.<name>.<pid>.tmp` stay under 255 bytes. */
export const MAX_PREFIX_LENGTH = 120;

/** What is wrong with a file name prefix (checked before a run, so a bad one fails before any work). */
export function prefixProblem(prefix: string): string | undefined {
  if (prefix === '' || prefix === '.' || prefix === '..') return `filename_prefix must be a file name, got ${JSON.stringify(prefix)}`;
  const bytes = new TextEncoder().encode(prefix.slice(0, 4 * MAX_PREFIX_LENGTH)).length;
  if (bytes > MAX_PREFIX_LENGTH) {
    return `filename_prefix is too long: ${prefix.length} characters, the limit is ${MAX_PREFIX_LENGTH} bytes (UTF-8)`;
  }
  if (/[\x00-\x1f\x7f]/.test(prefix)) return 'filename_prefix must not contain control characters';
  if (/[\\/:*?"<>|]/.test(prefix)) return 'filename_prefix must not contain any of \\ / : * ? " < > |';
  return undefined;
}

export const saveImage = defineNode({
  id: 'disco/save-image',
  version: 1,
  displayName: 'Save Image',
  category: 'DISCO/io',
  description: 'Marks a result to save. The host writes it as <prefix>_NNNNN.png with the workflow embedded.',
  role: 'result',
  inputs: { image: { type: IMAGE, description: 'The picture to save.' } },
  params: { filename_prefix: str({ default: 'disco', description: 'File name prefix; the host appends a counter and .png.' }) },
  outputs: { image: { type: IMAGE, description: 'The same picture, for the host to write.' } },
  isOutput: true,
  validate: (params) => prefixProblem(String(params.filename_prefix)),
  execute: (_ctx, inputs) => ({ image: inputs.image }),
});
