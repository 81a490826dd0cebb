import { describe, expect, it } from 'vitest';
import type { HostIO } from '../../runtime/engine/context.ts';
import type { ImageValue } from '../../runtime/values/types.ts';
import { ctxWith, runNode as run } from '../../../test/helpers/node-ctx.ts';
import { colorDistributionView } from '../preview/color-distribution-view.ts';
import { previewNodes } from '../preview/index.ts';
import { previewImage } from '../preview/preview-image.ts';
import { ioNodes } from './index.ts';
import { loadImage } from './load-image.ts';
import { loadReference } from './load-reference.ts';
import { saveImage } from './save-image.ts';
import { cpuTensor } from '../../runtime/values/tensor.ts';

const pic: ImageValue = { width: 2, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 255]) };
const fakeIo: HostIO = {
  loadImage: async (ref) => { if (ref !== 'a.png') throw new Error(`no such image ${ref}`); return pic; },
  fingerprint: async (ref) => `sha256-of-${ref}`,
};

describe('io and preview nodes', () => {
  it('are registered with kebab ids', () => {
    expect(ioNodes.map((d) => d.id)).toEqual(['disco/load-image', 'disco/load-reference', 'disco/save-image']);
    expect(previewNodes.map((d) => d.id)).toEqual(['disco/preview-image', 'disco/color-distribution-view']);
  });

  it('load-image loads through the host and fingerprints the reference', async () => {
    expect((await run(loadImage, {}, { image: 'a.png' }, [], fakeIo)).image).toBe(pic);
    expect(await loadImage.fingerprint!(ctxWith([], fakeIo), { image: 'a.png' })).toBe('sha256-of-a.png');
    await expect(run(loadImage, {}, { image: '  ' }, [], fakeIo)).rejects.toThrow(/no image chosen/);
  });

  it('load-reference loads a colour photo with role reference and refuses a gray one', async () => {
    expect(loadReference.role).toBe('reference');
    const colour = { ...pic, meta: { hadColor: true } }, gray = { ...pic, meta: { hadColor: false } };
    const io = (img: ImageValue): HostIO => ({ loadImage: async () => img, fingerprint: async (ref) => `sha256-of-${ref}` });
    expect((await run(loadReference, {}, { image: 'ref.png' }, [], io(colour))).image).toBe(colour);
    expect(await loadReference.fingerprint!(ctxWith([], io(colour)), { image: 'ref.png' })).toBe('sha256-of-ref.png');
    await expect(run(loadReference, {}, { image: 'ref.png' }, [], io(gray))).rejects.toThrow(/^disco\/load-reference: the reference photo ref.png is gray: a reference must be a colour photo$/);
    await expect(run(loadReference, {}, { image: '' }, [], io(colour))).rejects.toThrow(/no reference photo chosen/);
  });

  it('save-image and preview-image are output nodes that pass the image through', async () => {
    expect(saveImage.isOutput && previewImage.isOutput).toBe(true);
    expect((await run(saveImage, { image: pic })).image).toBe(pic);
    expect((await run(previewImage, { image: pic })).image).toBe(pic);
    expect(saveImage.validate!({ filename_prefix: 'a/b' })).toMatch(/must not contain/);
    expect(saveImage.validate!({ filename_prefix: 'disco' })).toBeUndefined();
  });

  it('color-distribution-view draws one tile per token with k bars', async () => {
    const probs = cpuTensor([1, 313, 2, 3], new Float32Array(313 * 6));
    for (let t = 0; t < 6; t++) { probs.data[(100 + t) * 6 + t] = 0.75; probs.data[200 * 6 + t] = 0.25; }
    const img = (await run(colorDistributionView, { dist: { probs, cell: 16 } }, { k: 2 })).image as ImageValue;
    expect([img.width, img.height]).toEqual([96, 64]);
    // First bar of tile 0: full colour for 3/4 of the width, then dimmed.
    const px = (x: number, y: number) => Array.from(img.data.slice((y * 96 + x) * 4, (y * 96 + x) * 4 + 3));
    expect(px(2, 2)).not.toEqual(px(30, 2));
    expect(px(2, 2)).toEqual(px(20, 2));
  });
});
