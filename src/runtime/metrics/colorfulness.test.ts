import { describe, expect, it } from 'vitest';
import { colorfulness } from './colorfulness.ts';
import { image, texA } from './test-images.fixture.ts';

const pixels2x2 = (p: number[][]) => image(2, 2, (x, y, c) => p[y * 2 + x][c]);

describe('colorfulness', () => {
  it('is 0 on a gray image', () => {
    expect(colorfulness(image(3, 3, (x, y) => 30 * x + 20 * y))).toBe(0);
  });

  it('red, green, blue, white: rg = (255, -255, 0, 0), yb = (127.5, 127.5, -255, 0); both means 0', () => {
    // var(rg) = 2·255²/4 = 32512.5, var(yb) = (2·127.5² + 255²)/4 = 24384.375 -> sqrt(56896.875)
    const cf = colorfulness(pixels2x2([[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]]));
    expect(cf).toBeCloseTo(Math.sqrt(56896.875), 12);
    expect(cf).toBeCloseTo(238.530658, 5);
  });

  it('adds 0.3 × the mean term: rg = yb = (100, 100, 0, 0) gives 1.3 · sqrt(5000)', () => {
    // means 50 and 50, variances 2500 and 2500 -> sqrt(5000) + 0.3 sqrt(5000)
    const cf = colorfulness(pixels2x2([[200, 100, 50], [200, 100, 50], [100, 100, 100], [100, 100, 100]]));
    expect(cf).toBeCloseTo(91.923882, 5);
  });

  it('matches numpy (population std) on a textured image: 157.30323606417866', () => {
    // rg = R-G, yb = (R+G)/2-B as float; sqrt(rg.std()**2 + yb.std()**2) + 0.3*sqrt(rg.mean()**2 + yb.mean()**2)
    expect(colorfulness(texA(16, 13))).toBeCloseTo(157.30323606417866, 10);
  });
});
