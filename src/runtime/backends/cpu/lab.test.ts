// The CPU Lab conversions against cv2.cvtColor (Debian python3-opencv 4.6), bit for bit:
// vectors in test/fixtures/opencv-lab (make_vectors.py there).
import { describe, expect, it } from 'vitest';
import { labFromCodes, labVector } from '../../../../test/helpers/opencv-lab.ts';
import { rgbHwcToImage } from '../../../../test/helpers/images.ts';
import { cpuColorOps, recombineLab } from './color-ops.ts';
import {
  dropChromaImage, imageHasColor, lab8ToRgb, labPlanesToImage, labToRgbFloat, labToRgbPixel, rgbFloatToLab, rgbPlanesToImage, rgbToLab8, rgbToLabImage, rgbToLabPixel,
  toU8,
} from './lab.ts';
import { rgb2LabLut, simdColumns } from '../common/opencv-lab-tables.ts';
import { wasmLabKernels, wasmLabToRgba, type LabKernels } from './simd/lab-wasm.ts';
import { nativeLabToRgba, nativeResizePlanes, nativeRgbaToLab } from './native/native-kernels.ts';
import { useHostKernels, type RgbaToLab } from './host-kernels.ts';
import { resizeFloat } from './resize.ts';
import { cpuTensor } from '../../values/tensor.ts';
import { mulberry32 } from '../../../../test/helpers/prng.ts';

/** Indices where planes [3,n] and interleaved [n,3] differ (both as float32 values). */
function mismatches(planes: Float32Array, hwc: ArrayLike<number>, n: number): number[] {
  const bad: number[] = [];
  for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) if (planes[c * n + p] !== hwc[3 * p + c]) bad.push(3 * p + c);
  return bad;
}

/** The WebAssembly kernel as rgbToLabImage takes it. */
const viaWasm = (k: LabKernels): RgbaToLab => (rgba, n, out) => k.rgbaToLab(rgba, n, out);

describe('RGB -> Lab on float32 input, as OpenCV (33^3 table, fixed-point trilinear)', () => {
  it('all 256 gray levels v/255', () => {
    const rgb = Float32Array.from({ length: 768 }, (_, i) => Math.fround(Math.floor(i / 3) / 255));
    const ref = labFromCodes(labVector('rgb2lab_f32_gray', 'lab_codes').data as Uint16Array);
    expect(mismatches(rgbFloatToLab(rgb, 256, true), ref, 256)).toEqual([]);
  });

  it('every node of the table ((i, j, k)/32 reads it exactly)', () => {
    const n = 33 ** 3, rgb = new Float32Array(3 * n);
    for (let i = 0; i < 33; i++) for (let j = 0; j < 33; j++) for (let k = 0; k < 33; k++) rgb.set([i / 32, j / 32, k / 32], 3 * ((i * 33 + j) * 33 + k));
    const ref = labFromCodes(labVector('rgb2lab_f32_grid', 'lab_codes').data as Uint16Array);
    expect(mismatches(rgbFloatToLab(rgb, n, true), ref, n)).toEqual([]);
  });

  it.each([
    ['WebAssembly', wasmLabKernels() && viaWasm(wasmLabKernels()!)],
    ['native, 2 threads', nativeRgbaToLab(2)],
    ['TypeScript loop', null],
  ])('8-bit photos (/255 in float32): a sample of the cube, as planes and as an RGBA image (%s)', (path, kernel) => {
    if (path !== 'TypeScript loop') expect(kernel, 'loads in Node (the native one once `npm run setup` built it)').not.toBeNull();
    const u8 = labVector('rgb2lab_f32_cube', 'rgb_u8').data as Uint8Array;
    const n = u8.length / 3;
    const ref = labFromCodes(labVector('rgb2lab_f32_cube', 'lab_codes').data as Uint16Array);
    expect(mismatches(rgbFloatToLab(Float32Array.from(u8, (v) => v / 255), n, true), ref, n)).toEqual([]);
    const lab = rgbToLabImage(rgbHwcToImage(u8, 128, 64), kernel);
    expect(lab.shape).toEqual([1, 3, 64, 128]);
    expect(mismatches(lab.data as Float32Array, ref, n)).toEqual([]);
  });

  it('the WebAssembly module builds the same 33^3 table as the TypeScript', () => {
    const built = wasmLabKernels()!.rgb2LabLut(), want = rgb2LabLut();
    expect(built.length).toBe(33 ** 3 * 3);
    expect(firstDiff(built, want)).toBe(-1);
  });

  it('RGBA images: the WebAssembly and native conversions give the bits of the loop, across their strips (alpha ignored)', () => {
    const r = mulberry32(7), [W, H] = [301, 230]; // more pixels than one strip of the module's memory
    const image = { width: W, height: H, data: Uint8ClampedArray.from({ length: 4 * W * H }, () => Math.floor(r() * 256)) };
    // Every mix of the bytes at the table's ends and cell edges (255 sits on its last node).
    const edges = [0, 1, 7, 8, 247, 248, 254, 255];
    edges.forEach((R, i) => edges.forEach((G, j) => edges.forEach((B, k) => image.data.set([R, G, B], 4 * (64 * i + 8 * j + k)))));
    const want = rgbToLabImage(image, null).data;
    for (const kernel of [viaWasm(wasmLabKernels()!), nativeRgbaToLab(1)!, nativeRgbaToLab(2)!, nativeRgbaToLab(3)!]) {
      const got = rgbToLabImage(image, kernel).data;
      expect(got.length).toBe(3 * W * H);
      expect(firstDiff(new Uint8Array(got.buffer), new Uint8Array(want.buffer))).toBe(-1);
    }
  });

  it('edge cases: 0, 1, tiny, negative, above 1 (clipped), rounding ties', () => {
    const rgb = labVector('rgb2lab_f32_edge', 'rgb').data as Float32Array;
    const n = rgb.length / 3;
    const ref = labFromCodes(labVector('rgb2lab_f32_edge', 'lab_codes').data as Uint16Array);
    expect(mismatches(rgbFloatToLab(rgb, n, true), ref, n)).toEqual([]);
    expect(rgbToLabPixel(rgb[30], rgb[31], rgb[32])).toEqual(Array.from(ref.subarray(30, 33)));
    expect(rgbToLabPixel(0, 0, 0)).toEqual([0, 0, 0]);
    expect(rgbToLabPixel(1, 1, 1)).toEqual([100, 0, 0]);
  });
});

/** The first index where two byte arrays differ (-1: none; a length difference counts). */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('Lab -> RGB on float32, as OpenCV (float formulas, gamma spline; SIMD and scalar columns)', () => {
  const lab = labVector('lab2rgb_f32', 'lab').data as Float32Array;
  const n = lab.length / 3;
  const plane = (c: number) => Float32Array.from({ length: n }, (_, p) => lab[3 * p + c]);

  it('random and special Lab (out of range too) in rows of 13: columns 0-7 SIMD, 8-12 scalar', () => {
    expect(simdColumns(13)).toBe(8);
    const rgb = labToRgbFloat(plane(0), plane(1), plane(2), 13);
    expect(mismatches(rgb, labVector('lab2rgb_f32', 'rgb').data, n)).toEqual([]);
    // the official output: x255, astype(uint8)
    const u8 = labVector('lab2rgb_f32', 'rgb_u8').data;
    const bad = Array.from(rgb).map(toU8).filter((v, i) => v !== u8[3 * (i % n) + Math.floor(i / n)]);
    expect(bad).toEqual([]);
    // a one-pixel conversion is the scalar code
    expect(labToRgbPixel(lab[3 * 9], lab[3 * 9 + 1], lab[3 * 9 + 2])).toEqual(Array.from(rgb.filter((_, i) => i % n === 9)));
  });

  it.each([['WebAssembly', wasmLabToRgba()], ['native, 2 threads', nativeLabToRgba(2)], ['TypeScript loops', null]])('straight to RGBA bytes (%s): the official uint8 output, SIMD and scalar columns alike', (path, wasm) => {
    if (path !== 'TypeScript loops') expect(wasm, 'loads in Node (the native one once `npm run setup` built it)').not.toBeNull();
    const u8 = labVector('lab2rgb_f32', 'rgb_u8').data;
    for (const width of [13, 5]) {
      for (const scale of [1, 110]) {
        const a = plane(1).map((v) => v / scale), b = plane(2).map((v) => v / scale);
        const img = labPlanesToImage(plane(0), a, b, width, scale, wasm);
        expect(img.height * width).toBe(n);
        expect(firstDiff(img.data, rgbPlanesToImage(labToRgbFloat(plane(0), a, b, width, scale), width, n / width).data)).toBe(-1);
      }
    }
    const img = labPlanesToImage(plane(0), plane(1), plane(2), 13, 1, wasm);
    expect(Array.from({ length: n }, (_, p) => [img.data[4 * p], img.data[4 * p + 1], img.data[4 * p + 2]]).flat()).toEqual(Array.from(u8));
    expect(img.data.filter((_, i) => i % 4 === 3).every((v) => v === 255)).toBe(true);
    expect(() => labPlanesToImage(plane(0), plane(1), plane(2), 7, 1, wasm)).toThrow(/not rows of 7/);
    // more pixels than the WebAssembly version converts at once (rows in chunks): a gray ramp, 320 wide
    const m = 320 * 410, ramp = Float32Array.from({ length: m }, (_, k) => (k % 4096) * Math.fround(100 / 4096)), zero = new Float32Array(m);
    expect(firstDiff(labPlanesToImage(ramp, zero, zero, 320, 1, wasm).data, rgbPlanesToImage(labToRgbFloat(ramp, zero, zero, 320), 320, 410).data)).toBe(-1);
  });

  it.each([13, 37, 256, 1001])('WebAssembly (four pixels a lane), native (1-3 threads) and the loops give the same bytes on rows of %i, odd values too', (width) => {
    const r = mulberry32(width), n = width * 9;
    const odd = [Number.NaN, Infinity, -Infinity, -0, 0, 8, 1e30, -1e30];
    const values = (lo: number, hi: number) => Float32Array.from({ length: n }, (_, i) => (i % 17 === 5 ? odd[(i >> 4) % odd.length] : lo + r() * (hi - lo)));
    const [L, a, b] = [values(-20, 120), values(-1.5, 1.5), values(-1.5, 1.5)];
    const want = labPlanesToImage(L, a, b, width, 110, null);
    for (const kernel of [wasmLabToRgba(), nativeLabToRgba(1), nativeLabToRgba(2), nativeLabToRgba(3)]) {
      expect(firstDiff(labPlanesToImage(L, a, b, width, 110, kernel).data, want.data)).toBe(-1);
    }
  });

  it('the SIMD and scalar codes do differ somewhere (so the column rule matters)', () => {
    const all = labToRgbFloat(plane(0), plane(1), plane(2), 13);
    const scalarOnly = labToRgbFloat(plane(0), plane(1), plane(2), 5); // rows of 5: no SIMD columns
    expect(all.some((v, i) => v !== scalarOnly[i])).toBe(true);
  });

  it('a gray ramp through every segment of the gamma spline', () => {
    const m = 4096;
    const L = Float32Array.from({ length: m }, (_, k) => k * Math.fround(100 / 4096));
    const rgb = labToRgbFloat(L, new Float32Array(m), new Float32Array(m), 16);
    expect(mismatches(rgb, labVector('lab2rgb_f32_ramp', 'rgb').data, m)).toEqual([]);
  });
});

describe('8-bit Lab, as OpenCV (integer tables)', () => {
  it('RGB -> Lab: the 256 grays and a sample of the cube', () => {
    const rgb = labVector('rgb2lab_u8', 'rgb').data as Uint8Array;
    expect(Array.from(rgbToLab8(rgb, rgb.length / 3))).toEqual(Array.from(labVector('rgb2lab_u8', 'lab').data));
  });

  it('Lab -> RGB: every L at a = b = 128, then random', () => {
    const lab = labVector('lab2rgb_u8', 'lab').data as Uint8Array;
    expect(Array.from(lab8ToRgb(lab, lab.length / 3))).toEqual(Array.from(labVector('lab2rgb_u8', 'rgb').data));
  });

  it('the colour ops rgbToLab8 / lab8ToRgb: RGBA bytes in and out, alpha kept', async () => {
    const rgb = labVector('rgb2lab_u8', 'rgb').data, lab = labVector('rgb2lab_u8', 'lab').data;
    const image = rgbHwcToImage(rgb, 128, 66);
    image.data[3] = 17;
    const out = await cpuColorOps.rgbToLab8(image);
    expect(Array.from(out.data.filter((_, i) => i % 4 !== 3))).toEqual(Array.from(lab));
    expect(out.data[3]).toBe(17);
    const back = await cpuColorOps.lab8ToRgb(rgbHwcToImage(labVector('lab2rgb_u8', 'lab').data, 128, 64));
    expect(Array.from(back.data.filter((_, i) => i % 4 !== 3))).toEqual(Array.from(labVector('lab2rgb_u8', 'rgb').data));
  });
});

describe('labToRgb (the colour op)', () => {
  it('converts [1,3,H,W] with the row rule and truncates to bytes, alpha 255', async () => {
    const lab = labVector('lab2rgb_f32', 'lab').data as Float32Array;
    const n = lab.length / 3, planes = new Float32Array(3 * n);
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) planes[c * n + p] = lab[3 * p + c];
    const img = await cpuColorOps.labToRgb({ location: 'cpu', dtype: 'float32', shape: [1, 3, n / 13, 13], data: planes });
    const ref = labVector('lab2rgb_f32', 'rgb_u8').data;
    const bad: number[] = [];
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) if (img.data[4 * p + c] !== ref[3 * p + c]) bad.push(p);
    expect(bad).toEqual([]);
    expect(img.data[3]).toBe(255);
  });
});

describe('gray from photo', () => {
  it('drops chroma: gray pixels stay, colours become neutral with nearly the same L', () => {
    const rgb = labVector('rgb2lab_f32_cube', 'rgb_u8').data as Uint8Array;
    const image = rgbHwcToImage(rgb, 128, 64);
    expect(imageHasColor(image)).toBe(true);
    const gray = dropChromaImage(image);
    expect(imageHasColor(gray, 1)).toBe(false);
    const n = 128 * 64;
    const L0 = rgbToLabImage(image).data.subarray(0, n), L1 = rgbToLabImage(gray).data.subarray(0, n);
    // 8-bit truncation moves L by less than one gray level (about 0.55 L at most, 0.12 on average)
    let worst = 0;
    for (let p = 0; p < n; p++) worst = Math.max(worst, Math.abs(L0[p] - L1[p]));
    expect(worst).toBeGreaterThan(0.1);
    expect(worst).toBeLessThan(0.8);
    // OpenCV's quantised L and the truncation to bytes can take a gray one level down (as cv2 does)
    const pureGray = rgbHwcToImage([0, 0, 0, 128, 128, 128, 255, 255, 255, 37, 37, 37], 4, 1);
    expect(Array.from(dropChromaImage(pureGray).data.filter((_, i) => i % 4 === 0))).toEqual([0, 127, 255, 36]);
  });
});

describe('Recombine on the CPU', () => {
  // ab at working size, resized to the photo in strips of rows: the bytes of resizing it whole first.
  it.each([
    ['a 700x300 photo (several strips), its ab content 240x100 of 256x256', 700, 300, 700, 300, { width: 240, height: 100 }],
    ['a padded Lab (content 500x130 of 512x140) from the whole 64x64 ab', 512, 140, 500, 130, { width: 64, height: 64 }],
    ['the photo at the ab size: read in place', 64, 64, 64, 64, { width: 64, height: 64 }],
  ])('%s', async (_, W, H, cw, ch, content) => {
    const r = mulberry32(W + H), abSize = content.width === 64 ? 64 : 256;
    const lab = cpuTensor([1, 3, H, W], Float32Array.from({ length: 3 * W * H }, (_, i) => (i < W * H ? r() * 100 : r() * 200 - 100)));
    const abN = cpuTensor([1, 2, abSize, abSize], Float32Array.from({ length: 2 * abSize * abSize }, () => r() * 2 - 1));
    // the TypeScript loops, whole: ab resized to the photo, then joined with L
    const big = resizeFloat(abN, { width: cw, height: ch }, { from: content }, null);
    const L = new Float32Array(cw * ch);
    for (let y = 0; y < ch; y++) L.set(lab.data.subarray(y * W, y * W + cw), y * cw);
    const want = labPlanesToImage(L, big.data.subarray(0, cw * ch), big.data.subarray(cw * ch), cw, 110, null);
    expect(wasmLabKernels(), 'loads in Node').not.toBeNull();
    for (const wasm of [wasmLabKernels(), null]) {
      const got = recombineLab({ lab, content: { width: cw, height: ch } }, abN, content, wasm);
      expect([got.width, got.height]).toEqual([cw, ch]);
      expect(firstDiff(got.data, want.data), wasm ? 'WebAssembly' : 'TypeScript strips').toBe(-1);
    }
    // The CLI's native kernels (host-kernels.ts), on 2 threads.
    useHostKernels({ resizePlanes: nativeResizePlanes(2)!, labToRgba: nativeLabToRgba(2)! });
    try {
      expect(firstDiff(recombineLab({ lab, content: { width: cw, height: ch } }, abN, content).data, want.data), 'native').toBe(-1);
    } finally {
      useHostKernels({});
    }
    expect(firstDiff((await cpuColorOps.recombine({ lab, content: { width: cw, height: ch } }, abN, content)).data, want.data)).toBe(-1);
  });
});
