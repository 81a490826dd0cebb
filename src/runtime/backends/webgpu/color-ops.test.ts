/**
 * Every colour kernel against the CPU reference on small inputs, on the real WebGPU adapter.
 * Float results: 1e-5 relative (Lab values up to 100 and ab up to ~110 give an absolute bound per op,
 * stated at each check). uint8 outputs may differ by 1 where a value sits on an integer boundary
 * (float32 on the GPU vs float64 in the reference); label outputs must match exactly.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getGpuBackend } from '../../../../test/helpers/gpu.ts';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { cpuTensor, cpuTensorI32, type CpuTensor, type Tensor } from '../../values/tensor.ts';
import type { Anchor, AnchorsValue, ImageValue } from '../../values/types.ts';
import type { Backend } from '../backend.ts';
import { createCpuBackend } from '../cpu/cpu-backend.ts';
import { rgbHwcToImage } from '../../../../test/helpers/images.ts';
import { labFromCodes, labVector } from '../../../../test/helpers/opencv-lab.ts';
import { runNode } from '../../../../test/helpers/node-ctx.ts';
import { labToGray } from '../../../nodes/color/lab-to-gray.ts';
import { normalizeAb } from '../../../nodes/color/normalize-ab.ts';
import { recombine } from '../../../nodes/color/recombine.ts';
import { resizeToWorking } from '../../../nodes/color/resize-to-working.ts';
import { rgbToLab } from '../../../nodes/color/rgb-to-lab.ts';
import type { GrayValue, LabValue } from '../../values/types.ts';

let gpu: Awaited<ReturnType<typeof getGpuBackend>>;
const cpu: Backend = createCpuBackend();
const gpuErrors: string[] = [];
beforeAll(async () => {
  gpu = await getGpuBackend();
  // WebGPU validation errors do not throw; collect them so a broken shader fails the test.
  gpu.gpu.device.addEventListener('uncapturederror', (e) => gpuErrors.push((e as GPUUncapturedErrorEvent).error.message));
});
afterEach(() => { expect(gpuErrors.splice(0)).toEqual([]); });

const down = (t: Tensor) => gpu.download(t);
/** Max of |a-b| / max(1, |b|). */
function relErr(a: CpuTensor, b: CpuTensor): number {
  expect(a.shape).toEqual(b.shape);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]) / Math.max(1, Math.abs(b.data[i])));
  return m;
}
function imageDiff(a: ImageValue, b: ImageValue): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}

/** A deterministic pseudo-random stream. */
function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const photo = rgbHwcToImage(loadVector('lab_rgb2lab', 'rgb_u8').data, 32, 32);
const randomTensor = (shape: number[], lo: number, hi: number, seed = 1) => {
  const r = rand(seed);
  return cpuTensor(shape, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => lo + (hi - lo) * r()));
};

describe('colour space on WebGPU', () => {
  it('rgbToLab is OpenCV\'s float RGB2Lab bit for bit (integer table interpolation)', async () => {
    const u8 = labVector('rgb2lab_f32_cube', 'rgb_u8').data as Uint8Array;
    const g = await down(await gpu.rgbToLab(rgbHwcToImage(u8, 128, 64)));
    const ref = labFromCodes(labVector('rgb2lab_f32_cube', 'lab_codes').data as Uint16Array);
    const n = 128 * 64, bad: number[] = [];
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) if (g.data[c * n + p] !== ref[3 * p + c]) bad.push(p);
    expect(bad).toEqual([]);
  });

  it('labToRgb is OpenCV\'s float Lab2RGB then x255 truncated, bit for bit on this adapter', async () => {
    const lab = labVector('lab2rgb_f32', 'lab').data as Float32Array;
    const n = lab.length / 3, planes = new Float32Array(3 * n);
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) planes[c * n + p] = lab[3 * p + c];
    const before = gpu.gpu.readbacks;
    const g = await gpu.labToRgb(cpuTensor([1, 3, n / 13, 13], planes));
    expect(gpu.gpu.readbacks - before).toBe(1);
    const ref = labVector('lab2rgb_f32', 'rgb_u8').data, bad: number[] = [];
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) if (g.data[4 * p + c] !== ref[3 * p + c]) bad.push(p);
    expect(bad).toEqual([]);
  });

  /** A vector as RGBA bytes, alpha varying per pixel (the 8-bit ops must keep it). */
  const withAlpha = (hwc: ArrayLike<number>, width: number, height: number): ImageValue => {
    const im = rgbHwcToImage(hwc, width, height);
    for (let p = 0; p < width * height; p++) im.data[4 * p + 3] = (p * 7) & 255;
    return im;
  };
  /** Pixels whose first three bytes differ from `ref` (interleaved 3) or whose alpha changed. */
  const badPixels = (out: ImageValue, ref: ArrayLike<number>, input: ImageValue): number[] => {
    const bad: number[] = [];
    for (let p = 0; p < out.width * out.height; p++) {
      if ([0, 1, 2].some((c) => out.data[4 * p + c] !== ref[3 * p + c]) || out.data[4 * p + 3] !== input.data[4 * p + 3]) bad.push(p);
    }
    return bad;
  };

  it('rgbToLab8 is OpenCV\'s 8-bit RGB2Lab bit for bit (the 256 grays and a sample of the cube), alpha kept', async () => {
    const image = withAlpha(labVector('rgb2lab_u8', 'rgb').data, 128, 66);
    const g = await gpu.rgbToLab8(image);
    expect(badPixels(g, labVector('rgb2lab_u8', 'lab').data, image)).toEqual([]);
  });

  it('lab8ToRgb is OpenCV\'s 8-bit Lab2RGB bit for bit (every L at a = b = 128, then random), alpha kept', async () => {
    const image = withAlpha(labVector('lab2rgb_u8', 'lab').data, 128, 64);
    const g = await gpu.lab8ToRgb(image);
    expect(badPixels(g, labVector('lab2rgb_u8', 'rgb').data, image)).toEqual([]);
  });

  it('normalises and slices on the GPU', async () => {
    const lab = await gpu.rgbToLab(photo);
    const before = gpu.gpu.readbacks;
    const ab = await gpu.sliceChannels(lab, 1, 2);
    const abN = await gpu.normalizeLab(ab, 'ab');
    const L = await gpu.denormalizeLab(await gpu.normalizeLab(await gpu.sliceChannels(lab, 0, 1), 'L'), 'L');
    expect(abN.location).toBe('gpu');
    expect(gpu.gpu.readbacks).toBe(before);
    const cpuLab = (await cpu.rgbToLab(photo)) as CpuTensor;
    const refAb = (await cpu.normalizeLab(await cpu.sliceChannels(cpuLab, 1, 2), 'ab')) as CpuTensor;
    expect(relErr(await down(abN), refAb)).toBeLessThan(1e-5 * 110);
    expect(relErr(await down(L), (await cpu.sliceChannels(cpuLab, 0, 1)) as CpuTensor)).toBeLessThan(1e-4);
  });

  it('dropChroma matches the reference within one level and keeps alpha', async () => {
    const withAlpha = { ...photo, data: photo.data.map((v, i) => (i % 4 === 3 ? 200 : v)) };
    const g = await gpu.dropChroma(withAlpha);
    expect(imageDiff(g, await cpu.dropChroma(withAlpha))).toBeLessThanOrEqual(1);
    expect(g.data[3]).toBe(200);
  });
});

describe('resize on WebGPU', () => {
  const t = randomTensor([1, 2, 37, 53], -1, 1, 3);

  it.each([
    ['down', { width: 32, height: 16 }, {}],
    ['up', { width: 64, height: 61 }, {}],
    ['crop + pad', { width: 20, height: 12 }, { from: { width: 40, height: 30 }, padTo: { width: 32, height: 32 } }],
  ] as const)('%s matches the reference', async (_name, size, opts) => {
    const g = await down(await gpu.resize(t, size, opts));
    expect(relErr(g, (await cpu.resize(t, size, opts)) as CpuTensor)).toBeLessThan(1e-5);
  });

  it('resizeToWorking keeps data on the GPU and matches the reference', async () => {
    const lab = { lab: await gpu.rgbToLab(photo), content: { width: 32, height: 32 } };
    const before = gpu.gpu.readbacks;
    const w = await gpu.resizeToWorking({ ...lab, content: { width: 32, height: 20 } }, 48, true);
    expect(gpu.gpu.readbacks).toBe(before);
    expect(w.content).toEqual({ width: 48, height: 30 });
    const ref = await cpu.resizeToWorking({ lab: (await cpu.rgbToLab(photo)), content: { width: 32, height: 20 } }, 48, true);
    expect(relErr(await down(w.lab), ref.lab as CpuTensor)).toBeLessThan(1e-4);
  });

  it('recombine matches the reference within one level', async () => {
    const lab = await cpu.rgbToLab(photo);
    const abN = randomTensor([1, 2, 16, 16], -0.5, 0.5, 9);
    const content = { width: 16, height: 12 };
    const g = await gpu.recombine({ lab: await gpu.upload(lab), content: { width: 32, height: 32 } }, await gpu.upload(abN), content);
    const c = await cpu.recombine({ lab, content: { width: 32, height: 32 } }, abN, content);
    expect(imageDiff(g, c)).toBeLessThanOrEqual(1);
  });
});

describe('ab bins on WebGPU', () => {
  const pairs = (key: string, P: number) => {
    const v = loadVector('gamut', key).data;
    return cpuTensor([1, 2, 1, P], Float32Array.from({ length: 2 * P }, (_, i) => v[(i % P) * 2 + Math.floor(i / P)]));
  };

  it('encodes exactly like the reference (including exact ties)', async () => {
    for (const [key, P] of [['ab_norm', 50], ['tie_ab_norm', 6]] as const) {
      const g = await down(await gpu.encodeAb(pairs(key, P)));
      expect(Array.from(g.data)).toEqual(Array.from(((await cpu.encodeAb(pairs(key, P))) as CpuTensor).data));
    }
    const field = randomTensor([1, 2, 32, 32], -0.9, 0.9, 5);
    expect(Array.from((await down(await gpu.encodeAb(field))).data)).toEqual(Array.from(((await cpu.encodeAb(field)) as CpuTensor).data));
  });

  it('soft-encodes like the reference (1e-6)', async () => {
    const g = await down(await gpu.softEncodeAb(pairs('ab_norm', 50)));
    expect(relErr(g, (await cpu.softEncodeAb(pairs('ab_norm', 50))) as CpuTensor)).toBeLessThan(1e-6);
  });

  it('decodes like the reference', async () => {
    const labels = cpuTensorI32([1, 1, 4, 8], Int32Array.from({ length: 32 }, (_, i) => (i * 37) % 313));
    const g = await down(await gpu.decodeBins(labels));
    expect(relErr(g, (await cpu.decodeBins(labels)) as CpuTensor)).toBeLessThan(1e-6);
    const bad = await down(await gpu.decodeBins(cpuTensorI32([1, 1, 1, 1], Int32Array.from([313]))));
    expect(Number.isNaN(bad.data[0])).toBe(true);
  });

  it('softmax and top-k match the reference', async () => {
    const lg = loadVector('anchor_colors', 'logits');
    const logits = cpuTensor(lg.shape, lg.data as Float32Array);
    const p = await gpu.softmaxChannels(logits);
    const ref = (await cpu.softmaxChannels(logits)) as CpuTensor;
    expect(relErr(await down(p), ref)).toBeLessThan(1e-5);
    const top = await gpu.topBins(p, 10);
    expect(Array.from((await down(top.bins)).data)).toEqual(Array.from(loadVector('anchor_colors', 'top10').data));
    expect(relErr(await down(top.probs), (await cpu.topBins(ref, 10)).probs as CpuTensor)).toBeLessThan(1e-5);
  });
});

describe('anchor colours on WebGPU', () => {
  const lg = loadVector('anchor_colors', 'logits');
  const logits = cpuTensor(lg.shape, lg.data as Float32Array);
  const anchors: AnchorsValue = {
    gridH: 4, gridW: 4,
    anchors: [
      ...[0, 3, 5, 9, 14].map((cell): Anchor => ({ cell, x: 0, y: 0, source: 'auto' })),
      { cell: 2, x: 0, y: 0, source: 'user', ab: [20, 30] },
    ],
  };

  it.each([0, 1, 2, 5])('variant %i agrees with the reference', async (variant) => {
    const g = await gpu.anchorColors(await gpu.softmaxChannels(logits), anchors, { variant });
    const c = await cpu.anchorColors(await cpu.softmaxChannels(logits), anchors, { variant });
    expect(g).toEqual(c);
  });

  it('reference-ab mode and generator inputs agree with the reference', async () => {
    const ref = randomTensor([1, 2, 4, 4], -0.6, 0.6, 11);
    const g = await gpu.anchorColors(await gpu.softmaxChannels(logits), anchors, { variant: 0, referenceAb: await gpu.upload(ref) });
    const c = await cpu.anchorColors(logits, anchors, { variant: 0, referenceAb: ref });
    expect(g).toEqual(c);
    const gi = await gpu.anchorInputs(g, 4, 4), ci = await cpu.anchorInputs(c, 4, 4);
    expect(gi.onehot.location).toBe('gpu');
    expect(Array.from((await down(gi.onehot)).data)).toEqual(Array.from((ci.onehot as CpuTensor).data));
    expect(Array.from((await down(gi.mask)).data)).toEqual(Array.from((ci.mask as CpuTensor).data));
  });

  it('renders the colour distribution like the reference', async () => {
    const g = await gpu.renderColorDist(await gpu.softmaxChannels(logits), 4);
    const c = await cpu.renderColorDist(await cpu.softmaxChannels(logits), 4);
    expect(imageDiff(g, c)).toBeLessThanOrEqual(1);
  });
});

describe('colour nodes on WebGPU', () => {
  it('photo -> working size -> recombine reads back once (the final IMAGE) and matches the CPU', async () => {
    const chain = async (backend: Backend) => {
      const run = (def: Parameters<typeof runNode>[0], inputs: Record<string, unknown>, params: Record<string, unknown> = {}) =>
        runNode(def, inputs, params, [], undefined, backend);
      const lab = (await run(rgbToLab, { image: photo })).lab as LabValue;
      const working = (await run(resizeToWorking, { lab }, { size: 48, keepAspect: true })).lab as LabValue;
      const gray = (await run(labToGray, { lab: working })).gray as GrayValue;
      const abN = (await run(normalizeAb, { lab: working })).ab_n as Tensor;
      return (await run(recombine, { photo: lab, working: gray, ab: abN })).image as ImageValue;
    };
    const before = gpu.gpu.readbacks;
    const g = await chain(gpu);
    expect(gpu.gpu.readbacks - before).toBe(1);
    expect(imageDiff(g, await chain(cpu))).toBeLessThanOrEqual(1);
  });
});
