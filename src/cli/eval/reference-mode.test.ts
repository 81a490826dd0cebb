import { describe, expect, it } from 'vitest';
import { flippedReference, referenceModeOption, unrelatedIndex } from './reference-mode.ts';

describe('eval reference modes', () => {
  it('flipped: mirrored left-right, then rolled right by a quarter of the width', () => {
    // One row of 8 pixels whose red channel is its column: mirrored 7..0, rolled right by 2.
    const data = new Uint8ClampedArray(8 * 4);
    for (let x = 0; x < 8; x++) data.set([x, 10, 20, 255], x * 4);
    const out = flippedReference({ width: 8, height: 1, data });
    expect(Array.from({ length: 8 }, (_, x) => out.data[x * 4])).toEqual([1, 0, 7, 6, 5, 4, 3, 2]);
    expect(Array.from(out.data.slice(0, 4))).toEqual([1, 10, 20, 255]);
    expect(data[0]).toBe(0); // the photo is not changed
  });

  it('unrelated: the photo half the list away, never itself; refused with one photo', () => {
    expect([0, 1, 2, 3, 4].map((i) => unrelatedIndex(i, 5))).toEqual([2, 3, 4, 0, 1]);
    expect(unrelatedIndex(1, 2)).toBe(0);
    expect(() => unrelatedIndex(0, 1)).toThrow(/needs at least 2 photos/);
    expect(referenceModeOption(undefined)).toBeUndefined();
    expect(() => referenceModeOption('mirror')).toThrow(/^--reference-mode must be flipped or unrelated, got "mirror"$/);
  });
});
