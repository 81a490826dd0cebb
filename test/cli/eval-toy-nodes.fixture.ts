/**
 * Stand-in nodes for the `disco eval` test, with the ids eval looks for, so the command runs end to end
 * on the real engine, executor, Node image IO and CPU backend without models. They do no colorizing:
 * - disco/load-image reads the photo through the host (as the real node does; its `image` is an image file);
 * - test/to-lab converts it to Lab (ctx.backend.rgbToLab);
 * - disco/sp-pool passes its image through, unless its optional `ab` input is linked: then it returns
 *   that Lab image converted back to RGB (so with oracle anchors the "colorized" result is the
 *   ground truth, round-tripped through Lab);
 * - disco/anchor-colors passes through and has the `mode` parameter eval switches;
 * - test/half halves the image (a result smaller than the photo);
 * - test/save is the output node.
 */
import { choice, defineNode, str, type NodeDef } from '../../src/runtime/engine/node-def.ts';
import type { ImageValue, LabValue } from '../../src/runtime/values/types.ts';
import { IMAGE, LAB } from '../../src/runtime/values/value-types.ts';

const loadImage = defineNode({
  id: 'disco/load-image', version: 1, displayName: 'Load Image', category: 'test', description: 'reads a photo',
  inputs: {}, params: { image: str({ default: '', file: 'image' }) }, outputs: { image: { type: IMAGE } },
  fingerprint: (ctx, p) => ctx.io.fingerprint(String(p.image)),
  execute: async (ctx, _i, p) => ({ image: await ctx.io.loadImage(String(p.image)) }),
});

const toLab = defineNode({
  id: 'test/to-lab', version: 1, displayName: 'To Lab', category: 'test', description: 'RGB to Lab',
  inputs: { image: { type: IMAGE } }, params: {}, outputs: { lab: { type: LAB } },
  execute: async (ctx, i) => {
    const image = i.image as ImageValue;
    return { lab: { lab: await ctx.backend.rgbToLab(image), content: { width: image.width, height: image.height } } };
  },
});

const spPool = defineNode({
  id: 'disco/sp-pool', version: 1, displayName: 'SP-Pool', category: 'test', description: 'pass-through, or the ab input',
  inputs: { image: { type: IMAGE }, ab: { type: LAB, optional: true } }, params: {}, outputs: { image: { type: IMAGE } },
  execute: async (ctx, i) => ({ image: i.ab ? await ctx.backend.labToRgb((i.ab as LabValue).lab) : i.image }),
});

const anchorColors = defineNode({
  id: 'disco/anchor-colors', version: 1, displayName: 'Anchor Colors', category: 'test', description: 'pass-through',
  inputs: { image: { type: IMAGE } }, params: { mode: choice({ default: 'model', options: ['model', 'reference-ab'] }) },
  outputs: { image: { type: IMAGE } },
  execute: (_ctx, i) => ({ image: i.image }),
});

/** Halves the image (OpenCV uint8 INTER_LINEAR), like a workflow that outputs at working size. */
const half = defineNode({
  id: 'test/half', version: 1, displayName: 'Half', category: 'test', description: 'half size',
  inputs: { image: { type: IMAGE } }, params: {}, outputs: { image: { type: IMAGE } },
  execute: async (ctx, i) => {
    const image = i.image as ImageValue;
    return { image: await ctx.backend.resizeImage(image, { width: image.width / 2, height: image.height / 2 }) };
  },
});

const save = defineNode({
  id: 'test/save', version: 1, displayName: 'Save', category: 'test', description: 'output',
  inputs: { image: { type: IMAGE } }, params: {}, outputs: { image: { type: IMAGE } }, isOutput: true,
  execute: (_ctx, i) => ({ image: i.image }),
});

export const evalToyNodes: readonly NodeDef[] = [loadImage, toLab, spPool, anchorColors, half, save];
