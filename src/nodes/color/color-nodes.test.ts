import { describe, expect, it } from 'vitest';
import { rgbHwcToImage } from '../../../test/helpers/images.ts';
import { loadVector } from '../../../test/helpers/vectors.ts';
import { runNode } from '../../../test/helpers/node-ctx.ts';
import { createCpuBackend } from '../../runtime/backends/cpu/cpu-backend.ts';
import { imageHasColor } from '../../runtime/backends/cpu/lab.ts';
import { checkParam } from '../../runtime/engine/node-def.ts';
import { cpuTensor, type CpuTensor } from '../../runtime/values/tensor.ts';
import type { AnchorsValue, GrayValue, ImageValue, LabValue } from '../../runtime/values/types.ts';
import { anchorColors } from './anchor-colors.ts';
import { grayFromPhoto } from './gray-from-photo.ts';
import { colorNodes } from './index.ts';
import { labToGray } from './lab-to-gray.ts';
import { labToRgb } from './lab-to-rgb.ts';
import { normalizeAb } from './normalize-ab.ts';
import { normalizeGray } from './normalize-gray.ts';
import { recombine } from './recombine.ts';
import { resizeImage } from './resize-image.ts';
import { resizeToWorking } from './resize-to-working.ts';
import { rgbToLab } from './rgb-to-lab.ts';

const run = runNode;

/** A smooth 40x24 colour picture (gradients), so resizing down and up again changes little. */
const photo: ImageValue = rgbHwcToImage(
  Array.from({ length: 40 * 24 }, (_, p) => [40 + (p % 40) * 4, 30 + Math.floor(p / 40) * 7, 150]).flat(), 40, 24);

describe('colour nodes', () => {
  it('are registered under DISCO/color with kebab ids', () => {
    expect(colorNodes.map((d) => d.id)).toEqual([
      'disco/gray-from-photo', 'disco/resize-image', 'disco/rgb-to-lab', 'disco/resize-to-working', 'disco/lab-to-gray', 'disco/normalize-gray',
      'disco/normalize-ab', 'disco/anchor-colors', 'disco/recombine', 'disco/lab-to-rgb',
    ]);
    for (const d of colorNodes) expect(d.category).toBe('DISCO/color');
  });

  it('gray-from-photo drops colour and warns; a gray photo passes through silently', async () => {
    const warnings: string[] = [];
    const out = (await run(grayFromPhoto, { image: photo }, {}, warnings)).image as ImageValue;
    expect(imageHasColor(out, 1)).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/had colour/);
    const again: string[] = [];
    expect((await run(grayFromPhoto, { image: out }, {}, again)).image).toBe(out);
    expect(again).toEqual([]);
  });

  it('keepAspect pads to the working size and recombine crops back to the original size', async () => {
    const lab = (await run(rgbToLab, { image: photo })).lab as LabValue;
    expect(lab.lab.shape).toEqual([1, 3, 24, 40]);
    const working = (await run(resizeToWorking, { lab }, { size: 32, keepAspect: true })).lab as LabValue;
    expect(working.lab.shape).toEqual([1, 3, 32, 32]);
    expect(working.content).toEqual({ width: 32, height: 19 });
    const w = working.lab as CpuTensor;
    for (let y = 19; y < 32; y++) expect(w.data[y * 32 + 5]).toBe(w.data[18 * 32 + 5]); // edge-replicated rows
    const gray = (await run(labToGray, { lab: working })).gray as GrayValue;
    expect(gray.L.shape).toEqual([1, 1, 32, 32]);
    expect(gray.content).toEqual(working.content);
    const abN = (await run(normalizeAb, { lab: working })).ab_n as CpuTensor;
    expect(abN.shape).toEqual([1, 2, 32, 32]);
    const image = (await run(recombine, { photo: lab, working: gray, ab: abN })).image as ImageValue;
    expect([image.width, image.height]).toEqual([40, 24]);
    // Round trip: the photo's own ab, down and up again, stays close to the smooth photo; a misplaced
    // or uncropped ab map would shift colours by far more.
    let worst = 0;
    for (let i = 0; i < photo.data.length; i++) worst = Math.max(worst, Math.abs(image.data[i] - photo.data[i]));
    expect(worst).toBeLessThanOrEqual(4);
    const direct = (await run(labToRgb, { lab })).image as ImageValue;
    let same = 0;
    for (let i = 0; i < photo.data.length; i++) same = Math.max(same, Math.abs(direct.data[i] - photo.data[i]));
    expect(same).toBeLessThanOrEqual(1);
  });

  it('fullSize keeps the photo size, edge-pads to multiples of 16, and recombine gives the photo back exactly', async () => {
    const lab = (await run(rgbToLab, { image: photo })).lab as LabValue;
    const working = (await run(resizeToWorking, { lab }, { size: 256, keepAspect: false, fullSize: true })).lab as LabValue;
    expect(working.lab.shape).toEqual([1, 3, 32, 48]);
    expect(working.content).toEqual({ width: 40, height: 24 });
    const w = working.lab as CpuTensor, src = lab.lab as CpuTensor;
    for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 48; x++) {
      expect(w.data[(c * 32 + y) * 48 + x]).toBe(src.data[(c * 24 + Math.min(y, 23)) * 40 + Math.min(x, 39)]);
    }
    const gray = (await run(labToGray, { lab: working })).gray as GrayValue;
    const abN = (await run(normalizeAb, { lab: working })).ab_n as CpuTensor;
    const image = (await run(recombine, { photo: lab, working: gray, ab: abN })).image as ImageValue;
    const direct = (await run(labToRgb, { lab })).image as ImageValue;
    expect([image.width, image.height]).toEqual([40, 24]);
    // ab/110*110 in float32 may move ab by an ulp; the bytes agree within one level
    let worst = 0;
    for (let i = 0; i < direct.data.length; i++) worst = Math.max(worst, Math.abs(image.data[i] - direct.data[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('recombine of a constant ab gives that colour everywhere, joined with the original L', async () => {
    const lab = (await run(rgbToLab, { image: photo })).lab as LabValue;
    const gray: GrayValue = { L: cpuTensor([1, 1, 16, 16]), content: { width: 16, height: 10 } };
    const ab = cpuTensor([1, 2, 16, 16], new Float32Array(512).fill(0));
    const image = (await run(recombine, { photo: lab, working: gray, ab })).image as ImageValue;
    expect(imageHasColor(image, 1)).toBe(false);
    await expect(run(recombine, { photo: lab, working: gray, ab: cpuTensor([1, 2, 8, 8]) })).rejects.toThrow(/8x8 but the working gray is 16x16/);
  });

  it('lab-to-rgb crops to the content frame', async () => {
    const lab = (await run(rgbToLab, { image: photo })).lab as LabValue;
    const working = (await run(resizeToWorking, { lab }, { size: 32, keepAspect: true })).lab as LabValue;
    const img = (await run(labToRgb, { lab: working })).image as ImageValue;
    expect([img.width, img.height]).toEqual([32, 19]);
  });

  it('normalize-gray scales L to -1..1', async () => {
    const g = (await run(normalizeGray, { gray: { L: cpuTensor([1, 1, 1, 3], Float32Array.from([0, 50, 100])), content: { width: 3, height: 1 } } })).gray_n as CpuTensor;
    expect(Array.from(g.data)).toEqual([-1, 0, 1]);
  });

  it('resize-image is OpenCV 4.6\'s uint8 INTER_LINEAR (the official script\'s resize), bit for bit', async () => {
    const src = loadVector('resize', 'u8_in'), want = loadVector('resize', 'u8_out');
    const image = rgbHwcToImage(src.data, 64, 48);
    const out = (await run(resizeImage, { image }, { width: 32, height: 32 })).image as ImageValue;
    expect([out.width, out.height]).toEqual([32, 32]);
    const rgb = Array.from(out.data).filter((_, i) => i % 4 !== 3);
    expect(rgb).toEqual(Array.from(want.data));
  });

  it('resize-to-working rejects sizes that are not multiples of 16', () => {
    expect(resizeToWorking.validate!({ size: 250, keepAspect: false, fullSize: false })).toMatch(/multiple of 16/);
    expect(resizeToWorking.validate!({ size: 256, keepAspect: false, fullSize: false })).toBeUndefined();
    expect(checkParam(resizeToWorking.params.size, 16)).toMatch(/below the minimum/);
  });

  describe('anchor-colors', () => {
    const lg = loadVector('anchor_colors', 'logits');
    const probsP = createCpuBackend().softmaxChannels(cpuTensor(lg.shape, lg.data as Float32Array));
    const anchors: AnchorsValue = {
      gridH: 4, gridW: 4,
      anchors: [
        { cell: 1, x: 0.3, y: 0.1, source: 'auto' },
        { cell: 10, x: 0.6, y: 0.6, source: 'user', ab: [40, 50], locked: true },
      ],
    };

    it('keeps user colours and sets bin and ab on every anchor', async () => {
      const dist = { probs: await probsP, cell: 16 };
      for (const variant of [0, 1, 2]) {
        const out = (await run(anchorColors, { dist, anchors }, { variant })).anchors as AnchorsValue;
        expect(out.anchors[0].bin).toBe(loadVector('anchor_colors', `index_T${variant}`).data[1]);
        expect(out.anchors[1].ab).toEqual([40, 50]);
        expect(out.anchors[1].bin).toBeTypeOf('number');
        expect(out.anchors.every((a) => a.ab !== undefined && a.bin !== undefined)).toBe(true);
      }
    });

    it('reference-ab mode reads the pooled ab and needs it', async () => {
      const pooledAb = cpuTensor([1, 2, 4, 4], new Float32Array(32).fill(-20 / 110));
      const tokens = { tokens: cpuTensor([1, 64, 4, 4]), cell: 16, pooledAb };
      const out = (await run(anchorColors, { anchors, tokens }, { mode: 'reference-ab' })).anchors as AnchorsValue;
      expect(out.anchors[0].ab).toEqual([-20, -20]);
      expect(out.anchors[1].ab).toEqual([40, 50]);
      await expect(run(anchorColors, { anchors }, { mode: 'reference-ab' })).rejects.toThrow(/needs the tokens input/);
      await expect(run(anchorColors, { anchors }, { mode: 'model' })).rejects.toThrow(/needs the dist input/);
    });
  });
});
