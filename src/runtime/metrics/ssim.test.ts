import { describe, expect, it } from 'vitest';
import { ssim } from './ssim.ts';
import { gradient, gradientNoisy, texA, texB } from './test-images.fixture.ts';

/**
 * Expected values from scikit-image 0.19.3 (Debian python3-skimage), on the same formula images built
 * with numpy (y, x, c = np.meshgrid(np.arange(h), np.arange(w), np.arange(3), indexing='ij'), uint8):
 *   structural_similarity(a, b, channel_axis=-1, gaussian_weights=True, sigma=1.5,
 *                         use_sample_covariance=False, data_range=255)
 * Non-square sizes catch swapped axes; 11x11 leaves a single pixel after the 5-pixel crop.
 */
const CASES = [
  ['texA vs texB', texA, texB, 16, 13, 0.9967978963585286],
  ['texA vs texB', texA, texB, 24, 20, 0.9967119937443792],
  ['texA vs texB', texA, texB, 11, 11, 0.9967820532936202],
  ['texA vs gradient', texA, gradient, 16, 13, 0.008010104914068032],
  ['texA vs gradient', texA, gradient, 24, 20, 0.00822057464816498],
  ['texA vs gradient', texA, gradient, 11, 11, 0.009764823319733752],
  ['gradient vs noisy gradient', gradient, gradientNoisy, 16, 13, 0.775286450119799],
  ['gradient vs noisy gradient', gradient, gradientNoisy, 24, 20, 0.8345127277618114],
  ['gradient vs noisy gradient', gradient, gradientNoisy, 11, 11, 0.783487413567569],
] as const;

describe('ssim (scikit-image convention)', () => {
  it.each(CASES)('%s at %ix%i', (_name, make1, make2, w, h, expected) => {
    expect(ssim(make1(w, h), make2(w, h))).toBeCloseTo(expected, 10);
  });

  it('is 1 for identical images', () => {
    expect(ssim(texA(16, 13), texA(16, 13))).toBe(1);
  });

  it('is symmetric', () => {
    expect(ssim(gradient(16, 13), gradientNoisy(16, 13))).toBeCloseTo(ssim(gradientNoisy(16, 13), gradient(16, 13)), 14);
  });

  it('refuses images smaller than the 11-pixel window and images of different sizes', () => {
    expect(() => ssim(texA(10, 20), texA(10, 20))).toThrow('SSIM: images must be at least 11x11 (the Gaussian window), got 10x20');
    expect(() => ssim(texA(12, 12), texA(12, 13))).toThrow('SSIM: images differ in size (12x12 vs 12x13)');
  });
});
