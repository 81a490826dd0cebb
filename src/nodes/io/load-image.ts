/** Load Image: decodes a picture the host knows by reference (a path in the CLI, a blob key in the browser). */
import { defineNode, str } from '../../runtime/engine/node-def.ts';
import { IMAGE } from '../../runtime/values/value-types.ts';

const ID = 'disco/load-image';

function refOf(params: Record<string, unknown>): string {
  const ref = String(params.image ?? '').trim();
  if (!ref) throw new Error(`${ID}: no image chosen (set the "image" parameter to a file or an uploaded image)`);
  return ref;
}

export const loadImage = defineNode({
  id: ID,
  version: 1,
  displayName: 'Load Image',
  category: 'DISCO/io',
  description: 'Loads a photo (colour or gray) at its original size as 8-bit RGBA.',
  role: 'photo',
  inputs: {},
  params: { image: str({ default: '', file: 'image', description: 'The image: a file path (CLI) or an uploaded image key (browser).' }) },
  outputs: { image: { type: IMAGE, description: 'The decoded photo, original size.' } },
  // The file's content hash joins the cache key, so replacing the file re-runs the graph.
  fingerprint: (ctx, params) => ctx.io.fingerprint(refOf(params)),
  async execute(ctx, _inputs, params) {
    return { image: await ctx.io.loadImage(refOf(params)) };
  },
});
