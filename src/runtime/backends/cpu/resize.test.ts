import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { cpuTensor } from '../../values/tensor.ts';
import { fitFrame, workingPlan } from '../shared/resize-plan.ts';
import { resizeFloat, resizeImageU8 } from './resize.ts';

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

describe('float INTER_LINEAR resize (CPU reference)', () => {
  it('downscales Lab 64x48 -> 32x32 like OpenCV (1e-5)', () => {
    const lab = cpuTensor([1, 3, 48, 64], hwcToNchw(loadVector('resize', 'lab_in').data, 48, 64, 3));
    const out = resizeFloat(lab, { width: 32, height: 32 });
    expect(out.shape).toEqual([1, 3, 32, 32]);
    expect(maxAbs(out.data, hwcToNchw(loadVector('resize', 'lab_out').data, 32, 32, 3))).toBeLessThanOrEqual(1e-5);
  });

  it('upscales ab 32x32 -> 64x48 like OpenCV (1e-5)', () => {
    const ab = cpuTensor([1, 2, 32, 32], hwcToNchw(loadVector('resize', 'ab_in').data, 32, 32, 2));
    const out = resizeFloat(ab, { width: 64, height: 48 });
    expect(maxAbs(out.data, hwcToNchw(loadVector('resize', 'ab_out').data, 48, 64, 2))).toBeLessThanOrEqual(1e-5);
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
