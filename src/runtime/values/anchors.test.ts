import { describe, expect, it } from 'vitest';
import { cellAt, cellCentre, photoFit, WHOLE } from './anchors.ts';

describe('anchor geometry on a padded working image', () => {
  // A 451 x 300 photo fitted into 256 x 256 (Keep Aspect): content 256 x 170, padded below.
  const fit = photoFit({ width: 256, height: 170 }, 256, 256);

  it('gives the share of the working image the photo fills', () => {
    expect(fit).toEqual({ fx: 1, fy: 170 / 256 });
    expect(photoFit(undefined, 64, 64)).toBe(WHOLE);
    expect(() => photoFit({ width: 300, height: 10 }, 256, 256)).toThrow(/content frame 300x10 does not fit the 256x256 working image/);
  });

  it('maps a photo point to the token under it, not to the token at the same share of the padded grid', () => {
    // Photo point y = 0.5 is working row 85 -> token row 5 of 16 (unpadded: row 8).
    expect(cellAt(0.5, 0.5, 16, 16, fit)).toBe(5 * 16 + 8);
    expect(cellAt(0.5, 0.5, 16, 16)).toBe(8 * 16 + 8);
    // The photo's bottom edge lies in token row 10 (rows 11..15 are padding only).
    expect(cellAt(1, 1, 16, 16, fit)).toBe(10 * 16 + 15);
    // A photo filling exactly 11 rows: its edge still belongs to row 10.
    expect(cellAt(0, 1, 16, 16, photoFit({ width: 256, height: 176 }, 256, 256))).toBe(10 * 16);
  });

  it('puts a token centre on the photo, clamped to its edge for padding tokens, and back into the same token', () => {
    const c = cellCentre(5 * 16 + 8, 16, 16, fit);
    expect(c.x).toBeCloseTo(8.5 / 16);
    expect(c.y).toBeCloseTo((5.5 * 16) / 170);
    expect(cellAt(c.x, c.y, 16, 16, fit)).toBe(5 * 16 + 8);
    for (let cell = 0; cell < 11 * 16; cell++) {
      const p = cellCentre(cell, 16, 16, fit);
      expect(cellAt(p.x, p.y, 16, 16, fit)).toBe(cell);
    }
    expect(cellCentre(13 * 16, 16, 16, fit)).toEqual({ x: 0.5 / 16, y: 1 });
  });
});
