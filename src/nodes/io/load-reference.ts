/**
 * Load Reference: a colour photo whose colours the anchors take (Reference Colors). Loads like Load
 * Image, but its role is 'reference', so the CLI's --input and a photo dropped on the editor go to the
 * photo, not here (the CLI's --reference sets this one).
 */
import { defineNode, str } from '../../runtime/engine/node-def.ts';
import { IMAGE } from '../../runtime/values/value-types.ts';

const ID = 'disco/load-reference';

function refOf(params: Record<string, unknown>): string {
  const ref = String(params.image ?? '').trim();
  if (!ref) throw new Error(`${ID}: no reference photo chosen (set the "image" parameter to a colour photo file or an uploaded image)`);
  return ref;
}

export const loadReference = defineNode({
  id: ID,
  version: 1,
  displayName: 'Load Reference',
  category: 'DISCO/io',
  description: 'Loads a colour reference photo whose colours the anchors take (Reference Colors), at its original size as 8-bit RGBA.',
  role: 'reference',
  inputs: {},
  params: { image: str({ default: '', file: 'image', description: 'The colour reference photo: a file path (CLI) or an uploaded image key (browser).' }) },
  outputs: { image: { type: IMAGE, description: 'The decoded reference photo, original size.' } },
  fingerprint: (ctx, params) => ctx.io.fingerprint(refOf(params)),
  async execute(ctx, _inputs, params) {
    const image = await ctx.io.loadImage(refOf(params));
    if (image.meta?.hadColor === false) throw new Error(`${ID}: the reference photo ${refOf(params)} is gray: a reference must be a colour photo`);
    return { image };
  },
});
