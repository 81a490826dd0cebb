import { describe, expect, it } from 'vitest';
import { cellCentreOnPhoto, fitOf, photoRegion, pixelAt } from './photo-frame.ts';

describe('photo frame of the association map', () => {
  // 451 x 300 with Keep Aspect at 64: the photo is the top 64 x 42 of a 64 x 64 map.
  const padded = { W: 64, H: 64, content: { width: 64, height: 42 } };
  const whole = { W: 64, H: 64 };

  it('maps a photo point to the map pixel under it, through the content frame', () => {
    expect(pixelAt(padded, 0.5, 0.5)).toEqual({ px: 32, py: 21, p: 21 * 64 + 32 });
    expect(pixelAt(whole, 0.5, 0.5)).toEqual({ px: 32, py: 32, p: 32 * 64 + 32 });
    expect(pixelAt(padded, 0.999, 0.999)).toMatchObject({ px: 63, py: 41 });
    expect(pixelAt(padded, 1, 0.5)).toBeUndefined();
    expect(pixelAt(padded, 0.5, -0.01)).toBeUndefined();
  });

  it('gives the photo region and its share of the grid', () => {
    expect(photoRegion(padded)).toEqual({ width: 64, height: 42 });
    expect(photoRegion(whole)).toEqual({ width: 64, height: 64 });
    expect(fitOf(padded)).toEqual({ fx: 1, fy: 42 / 64 });
  });

  it('places cell centres on the photo and drops those in the padding', () => {
    // 16 px cells: row 1's centre is at map y 24 = 24/42 of the photo; row 2's (y 40) still on it; row 3's (y 56) not.
    expect(cellCentreOnPhoto(padded, 16, 1, 0)).toEqual({ x: 8 / 64, y: 24 / 42 });
    expect(cellCentreOnPhoto(padded, 16, 2, 3)?.y).toBeCloseTo(40 / 42);
    expect(cellCentreOnPhoto(padded, 16, 3, 0)).toBeUndefined();
    expect(cellCentreOnPhoto(whole, 16, 3, 0)).toEqual({ x: 8 / 64, y: 56 / 64 });
  });
});
