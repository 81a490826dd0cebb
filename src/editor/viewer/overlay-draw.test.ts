import { describe, expect, it } from 'vitest';
import { overlayPixels, regionPixels } from './overlay-draw.ts';

describe('overlayPixels', () => {
  // 4x2 pixels: labels 0 0 1 1 / 0 0 1 1.
  const m = { W: 4, H: 2, labels: Int32Array.from([0, 0, 1, 1, 0, 0, 1, 1]) };
  const alpha = (px: Uint8ClampedArray) => Array.from({ length: px.length / 4 }, (_, i) => px[4 * i + 3]);

  it('draws a boundary where a pixel differs from its right or lower neighbour, nothing else', () => {
    const px = overlayPixels(m, { boundaries: true });
    expect(alpha(px)).toEqual([0, 170, 0, 0, 0, 170, 0, 0]);
    expect(Array.from(px.slice(4, 7))).toEqual([255, 230, 0]);
  });

  it('tints each superpixel by its cluster, boundaries on top', () => {
    const px = overlayPixels(m, { boundaries: true, clusters: Int32Array.from([0, 1]) });
    expect(alpha(px)).toEqual([100, 170, 100, 100, 100, 170, 100, 100]);
    expect(Array.from(px.slice(0, 3))).not.toEqual(Array.from(px.slice(8, 11)));
    expect(alpha(overlayPixels(m, { boundaries: false }))).toEqual(Array(8).fill(0));
  });
});

describe('regionPixels', () => {
  // 4x3 pixels: token 1 is the 2x2 block at the right of rows 0-1.
  const m = { W: 4, H: 3, labels: Int32Array.from([0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 2, 2]) };
  const alpha = (px: Uint8ClampedArray) => Array.from({ length: px.length / 4 }, (_, i) => px[4 * i + 3]);

  it('dims every pixel outside the token and edges the token (a 2x2 region is all edge)', () => {
    const px = regionPixels(m, 1);
    expect(alpha(px)).toEqual([160, 160, 255, 255, 160, 160, 255, 255, 160, 160, 160, 160]);
    expect(Array.from(px.slice(8, 11))).toEqual([255, 213, 79]);
    expect(Array.from(px.slice(0, 3))).toEqual([0, 0, 0]);
  });

  it('leaves the inside of a larger region clear, and dims everything for a token not on the map', () => {
    const big = { W: 3, H: 3, labels: new Int32Array(9).fill(5) };
    expect(alpha(regionPixels(big, 5))).toEqual([255, 255, 255, 255, 0, 255, 255, 255, 255]);
    expect(alpha(regionPixels(m, 7))).toEqual(Array(12).fill(160));
  });
});
