import { describe, expect, it } from 'vitest';
import { mseRgb, psnr } from './psnr.ts';
import { image, texA } from './test-images.fixture.ts';

describe('psnr', () => {
  it('is Infinity for identical RGB, whatever the alpha', () => {
    const a = texA(16, 13);
    const b = { ...a, data: a.data.slice() };
    for (let i = 3; i < b.data.length; i += 4) b.data[i] = 0;
    expect(psnr(a, b)).toBe(Infinity);
  });

  it('gives 10 log10(255²/25) = 34.1514 dB for a constant offset of 5 on every channel', () => {
    const a = image(7, 5, (x, y, c) => 20 + x * 10 + y * 7 + c);
    const b = image(7, 5, (x, y, c) => 25 + x * 10 + y * 7 + c);
    expect(mseRgb(a, b)).toBe(25);
    expect(psnr(a, b)).toBeCloseTo(34.15140352195873, 12);
  });

  it('averages over the three channels: an offset of 3 on red only is MSE 3', () => {
    const a = image(4, 4, () => 100);
    const b = image(4, 4, (_x, _y, c) => (c === 0 ? 103 : 100));
    expect(mseRgb(a, b)).toBe(3);
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10(65025 / 3), 12);
  });

  it('refuses images of different sizes, naming both', () => {
    expect(() => psnr(texA(4, 4), texA(4, 5))).toThrow('PSNR: images differ in size (4x4 vs 4x5)');
  });
});
