import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { rgbHwcToImage } from '../../../../test/helpers/images.ts';
import { cpuColorOps } from './color-ops.ts';
import { dropChromaImage, imageHasColor, labToRgbFloat, rgbToLabImage } from './lab.ts';

function maxDiffPlanesVsHwc(planes: ArrayLike<number>, hwc: ArrayLike<number>, n: number, c: number): number {
  let m = 0;
  for (let p = 0; p < n; p++) m = Math.max(m, Math.abs(planes[c * n + p] - hwc[3 * p + c]));
  return m;
}

describe('rgb -> Lab (CPU reference)', () => {
  const rgb = loadVector('lab_rgb2lab', 'rgb_u8').data;
  const lab = loadVector('lab_rgb2lab', 'lab').data;
  const image = rgbHwcToImage(rgb, 32, 32);
  const n = 32 * 32;

  it('matches OpenCV float Lab within its LUT quantisation (0.25 L, 0.6 ab)', () => {
    const out = rgbToLabImage(image);
    expect(out.shape).toEqual([1, 3, 32, 32]);
    expect(maxDiffPlanesVsHwc(out.data, lab, n, 0)).toBeLessThanOrEqual(0.25);
    expect(maxDiffPlanesVsHwc(out.data, lab, n, 1)).toBeLessThanOrEqual(0.6);
    expect(maxDiffPlanesVsHwc(out.data, lab, n, 2)).toBeLessThanOrEqual(0.6);
  });

  it('normalises to gray_norm and ab_norm', async () => {
    const out = rgbToLabImage(image);
    const L = await cpuColorOps.sliceChannels(out, 0, 1);
    const ab = await cpuColorOps.sliceChannels(out, 1, 2);
    const gray = (await cpuColorOps.normalizeLab(L, 'L')) as { data: Float32Array };
    const abN = (await cpuColorOps.normalizeLab(ab, 'ab')) as { data: Float32Array };
    const g = loadVector('lab_rgb2lab', 'gray_norm').data, a = loadVector('lab_rgb2lab', 'ab_norm').data;
    expect(Math.max(...gray.data.map((v, i) => Math.abs(v - g[i])))).toBeLessThanOrEqual(0.25 / 50 + 1e-6);
    expect(Math.max(...abN.data.map((v, i) => Math.abs(v - a[i])))).toBeLessThanOrEqual(0.6 / 110 + 1e-6);
    const back = (await cpuColorOps.denormalizeLab(gray as never, 'L')) as { data: Float32Array };
    expect(Math.max(...back.data.map((v, i) => Math.abs(v - out.data[i])))).toBeLessThan(1e-4);
  });
});

describe('Lab -> rgb (CPU reference)', () => {
  const lab = loadVector('lab_lab2rgb', 'lab').data;
  const n = 32 * 32;
  const planes = (c: number) => Float32Array.from({ length: n }, (_, p) => lab[3 * p + c]);

  it('float stage matches OpenCV within 1e-4', () => {
    const rgb = labToRgbFloat(planes(0), planes(1), planes(2), n);
    const ref = loadVector('lab_lab2rgb', 'rgb_f32').data;
    for (let c = 0; c < 3; c++) expect(maxDiffPlanesVsHwc(rgb, ref, n, c)).toBeLessThanOrEqual(1e-4);
  });

  it('uint8 output is within 1 of OpenCV (truncation after clipping)', async () => {
    const lab3 = new Float32Array(3 * n);
    for (let c = 0; c < 3; c++) lab3.set(planes(c), c * n);
    const img = await cpuColorOps.labToRgb({ location: 'cpu', dtype: 'float32', shape: [1, 3, 32, 32], data: lab3 });
    const ref = loadVector('lab_lab2rgb', 'rgb_u8').data;
    let worst = 0, off = 0;
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) {
      const d = Math.abs(img.data[4 * p + c] - ref[3 * p + c]);
      worst = Math.max(worst, d);
      if (d) off++;
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(off).toBeLessThan(n * 3 * 0.02);
    expect(img.data[3]).toBe(255);
  });
});

describe('gray from photo', () => {
  it('drops chroma: gray pixels stay, colours become neutral with the same L', () => {
    const rgb = loadVector('lab_rgb2lab', 'rgb_u8').data;
    const image = rgbHwcToImage(rgb, 32, 32);
    expect(imageHasColor(image)).toBe(true);
    const gray = dropChromaImage(image);
    expect(imageHasColor(gray, 1)).toBe(false);
    const L0 = rgbToLabImage(image).data.subarray(0, 1024), L1 = rgbToLabImage(gray).data.subarray(0, 1024);
    // 8-bit truncation moves L by less than one gray level (about 0.4 L near black, less elsewhere).
    expect(Math.max(...L0.map((v, i) => Math.abs(v - L1[i])))).toBeLessThan(0.8);
    const pureGray = rgbHwcToImage([0, 0, 0, 128, 128, 128, 255, 255, 255, 37, 37, 37], 4, 1);
    expect(Array.from(dropChromaImage(pureGray).data.filter((_, i) => i % 4 === 0))).toEqual([0, 128, 255, 37]);
  });
});
