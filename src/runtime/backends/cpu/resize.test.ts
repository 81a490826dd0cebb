import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { cpuTensor } from '../../values/tensor.ts';
import { fitFrame, workingPlan } from '../common/resize-plan.ts';
import { resizeFloat, resizeImageU8 } from './resize.ts';
import { wasmLabKernels } from './simd/lab-wasm.ts';
import { useHostKernels } from './host-kernels.ts';
import { nativeResizePlanes } from './native/native-kernels.ts';
import { mulberry32 } from '../../../../test/helpers/prng.ts';

/** HWC -> [1,C,H,W]. */
export function hwcToNchw(hwc: ArrayLike<number>, H: number, W: number, C: number): Float32Array {
  const out = new Float32Array(C * H * W);
  for (let p = 0; p < H * W; p++) for (let c = 0; c < C; c++) out[c * H * W + p] = hwc[p * C + c];
  return out;
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** The first index where two float32 arrays differ in their bits, or -1. */
function firstBitsDiff(a: Float32Array, b: Float32Array): number {
  const bits = (x: Float32Array) => new Uint32Array(x.buffer, x.byteOffset, x.length);
  const [p, q] = [bits(a), bits(b)];
  return p.findIndex((v, i) => v !== q[i]);
}

describe('float INTER_LINEAR resize (CPU reference)', () => {
  const paths = [['WebAssembly', wasmLabKernels()], ['TypeScript loops', null]] as const;

  it.each(paths)('downscales Lab 64x48 -> 32x32 like OpenCV (1e-5; %s)', (path, wasm) => {
    if (path === 'WebAssembly') expect(wasm, 'loads in Node').not.toBeNull();
    const lab = cpuTensor([1, 3, 48, 64], hwcToNchw(loadVector('resize', 'lab_in').data, 48, 64, 3));
    const out = resizeFloat(lab, { width: 32, height: 32 }, {}, wasm);
    expect(out.shape).toEqual([1, 3, 32, 32]);
    expect(maxAbs(out.data, hwcToNchw(loadVector('resize', 'lab_out').data, 32, 32, 3))).toBeLessThanOrEqual(1e-5);
  });

  it.each(paths)('upscales ab 32x32 -> 64x48 like OpenCV (1e-5; %s)', (_, wasm) => {
    const ab = cpuTensor([1, 2, 32, 32], hwcToNchw(loadVector('resize', 'ab_in').data, 32, 32, 2));
    const out = resizeFloat(ab, { width: 64, height: 48 }, {}, wasm);
    expect(maxAbs(out.data, hwcToNchw(loadVector('resize', 'ab_out').data, 48, 64, 2))).toBeLessThanOrEqual(1e-5);
  });

  it.each([
    ['a 1100x1000 photo to 256x256 (the source rows come in several strips)', 1100, 1000, { width: 256, height: 256 }, {}],
    ['its 700x600 corner fitted to 256x219, padded to 256x256', 1100, 1000, { width: 256, height: 219 }, { from: { width: 700, height: 600 }, padTo: { width: 256, height: 256 } }],
    ['a 100x60 ab up to 1000x500', 100, 60, { width: 1000, height: 500 }, {}],
  ])('WebAssembly and the loops give the same bits: %s', (_, W, H, size, opts) => {
    const r = mulberry32(W + H);
    const t = cpuTensor([1, 2, H, W], Float32Array.from({ length: 2 * W * H }, () => r() * 200 - 100));
    const want = resizeFloat(t, size, opts, null);
    const got = resizeFloat(t, size, opts, wasmLabKernels());
    expect(got.shape).toEqual(want.shape);
    expect(firstBitsDiff(got.data as Float32Array, want.data as Float32Array), 'first index that differs').toBe(-1);
  });

  it.each([1, 2, 3])('the native kernel (the CLI) gives the loops\' bits and OpenCV\'s values on %i threads', (threads) => {
    const native = nativeResizePlanes(threads);
    expect(native, 'built by npm run setup').not.toBeNull();
    useHostKernels({ resizePlanes: native! });
    try {
      const lab = cpuTensor([1, 3, 48, 64], hwcToNchw(loadVector('resize', 'lab_in').data, 48, 64, 3));
      expect(maxAbs(resizeFloat(lab, { width: 32, height: 32 }).data, hwcToNchw(loadVector('resize', 'lab_out').data, 32, 32, 3))).toBeLessThanOrEqual(1e-5);
      const r = mulberry32(threads);
      const t = cpuTensor([1, 2, 1000, 1100], Float32Array.from({ length: 2 * 1100 * 1000 }, () => r() * 200 - 100));
      for (const [size, opts] of [
        [{ width: 256, height: 256 }, {}],
        [{ width: 256, height: 219 }, { from: { width: 700, height: 600 }, padTo: { width: 256, height: 256 } }],
        [{ width: 2000, height: 1500 }, {}],
      ] as const) {
        const got = resizeFloat(t, size, opts), want = resizeFloat(t, size, opts, null);
        expect(got.shape).toEqual(want.shape);
        expect(firstBitsDiff(got.data as Float32Array, want.data as Float32Array), 'first index that differs').toBe(-1);
      }
    } finally {
      useHostKernels({});
    }
  });

  it('resizes a tensor to its own size into a copy of the same values', () => {
    const t = cpuTensor([1, 2, 3, 5], Float32Array.from({ length: 30 }, (_, i) => Math.sin(i) * 50));
    const out = resizeFloat(t, { width: 5, height: 3 });
    expect(out.data).not.toBe(t.data);
    expect(Array.from(out.data)).toEqual(Array.from(t.data));
  });

  it('crops with `from` and edge-pads with `padTo`', () => {
    const t = cpuTensor([1, 1, 4, 4], Float32Array.from({ length: 16 }, (_, i) => i));
    const same = resizeFloat(t, { width: 2, height: 2 }, { from: { width: 2, height: 2 }, padTo: { width: 3, height: 4 } });
    expect(same.shape).toEqual([1, 1, 4, 3]);
    expect(Array.from(same.data)).toEqual([0, 1, 1, 4, 5, 5, 4, 5, 5, 4, 5, 5]);
    expect(() => resizeFloat(t, { width: 2, height: 2 }, { from: { width: 5, height: 2 } })).toThrow(/larger than the input/);
  });
});

describe('uint8 INTER_LINEAR resize (CPU reference)', () => {
  it('reproduces OpenCV 4.6 exactly', () => {
    const rgb = loadVector('resize', 'u8_in').data;
    const data = new Uint8ClampedArray(48 * 64 * 4);
    for (let p = 0; p < 48 * 64; p++) data.set([rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2], 255], 4 * p);
    const out = resizeImageU8({ width: 64, height: 48, data }, { width: 32, height: 32 });
    const ref = loadVector('resize', 'u8_out').data;
    const got = Array.from({ length: 32 * 32 * 3 }, (_, i) => out.data[Math.floor(i / 3) * 4 + (i % 3)]);
    expect(got).toEqual(Array.from(ref));
    expect(out.data[3]).toBe(255);
  });
});

describe('working size plan', () => {
  it('fits keeping the aspect ratio and records the content frame', () => {
    expect(fitFrame({ width: 640, height: 480 }, 256)).toEqual({ width: 256, height: 192 });
    expect(fitFrame({ width: 100, height: 300 }, 64)).toEqual({ width: 21, height: 64 });
    const p = workingPlan({ width: 640, height: 480 }, 256, true);
    expect(p.opts.padTo).toEqual({ width: 256, height: 256 });
    expect(p.content).toEqual({ width: 256, height: 192 });
    expect(workingPlan({ width: 640, height: 480 }, 256, false).content).toEqual({ width: 256, height: 256 });
  });

  it('rejects sizes that are not multiples of 16', () => {
    expect(() => workingPlan({ width: 10, height: 10 }, 250, false)).toThrow(/multiple of 16/);
  });
});
