import { describe, expect, it } from 'vitest';
import { cpuTensor } from '../values/tensor.ts';
import { anchorsFromStroke, poolMask } from './strokes.ts';

/** A hard association map: every pixel belongs wholly to its own cell (channel 4). */
function hardAssoc(H: number, W: number) {
  const data = new Float32Array(9 * H * W);
  data.fill(1, 4 * H * W, 5 * H * W);
  return cpuTensor([1, 9, H, W], data);
}

/** An H x W mask with the pixels where `f(x, y)` holds set. */
const maskOf = (H: number, W: number, f: (x: number, y: number) => boolean) =>
  Uint8Array.from({ length: H * W }, (_, p) => (f(p % W, Math.floor(p / W)) ? 1 : 0));

describe('anchorsFromStroke', () => {
  it('makes an anchor for each superpixel covered by at least half its mass, at its cell centre', () => {
    // 8x8 pixels, 4 px cells: a 2x2 grid. The stroke covers cell 0, half of cell 1, a quarter of cell 2.
    const assoc = hardAssoc(8, 8);
    const mask = maskOf(8, 8, (x, y) => (y < 4 && x < 6) || (y >= 4 && y < 6 && x < 2));
    const out = anchorsFromStroke(assoc, 4, mask, '#ff8800');
    expect(out).toEqual([{ x: 0.25, y: 0.25, color: '#ff8800' }, { x: 0.75, y: 0.25, color: '#ff8800' }]);
    expect(anchorsFromStroke(assoc, 4, mask, '#ff8800', 0.6)).toHaveLength(1);
  });

  it('pools through soft associations: a pixel counts toward each superpixel by its weight', () => {
    // 4x8 pixels, 4 px cells: grid 1x2. Cell 0's pixels give 0.75 to themselves, 0.25 to their right neighbour (k = 5).
    const H = 4, W = 8;
    const data = new Float32Array(9 * H * W);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const p = y * W + x;
        if (x < 4) {
          data[4 * H * W + p] = 0.75;
          data[5 * H * W + p] = 0.25;
        } else data[4 * H * W + p] = 1;
      }
    }
    const mask = maskOf(H, W, (x) => x < 4); // paint all of cell 0
    const { stroke, own } = poolMask(cpuTensor([1, 9, H, W], data), 4, mask);
    expect(Array.from(own)).toEqual([12, 20]);
    expect(Array.from(stroke)).toEqual([12, 4]);
    expect(anchorsFromStroke(cpuTensor([1, 9, H, W], data), 4, mask, '#000000').map((a) => a.x)).toEqual([0.25]);
  });

  it('gives x, y on the photo when the map is padded (Keep Aspect)', () => {
    // 8 x 8 map of 4 px cells, the photo its top 6 rows: cell 2 (bottom left) has its centre at working y = 6.
    const assoc = hardAssoc(8, 8);
    const mask = maskOf(8, 8, (x, y) => x < 4 && y >= 4);
    expect(anchorsFromStroke(assoc, 4, mask, '#102030', 0.5, { fx: 1, fy: 6 / 8 })).toEqual([{ x: 0.25, y: 1, color: '#102030' }]);
    expect(anchorsFromStroke(assoc, 4, maskOf(8, 8, (x, y) => x >= 4 && y < 4), '#102030', 0.5, { fx: 1, fy: 6 / 8 })).toEqual([{ x: 0.75, y: 2 / 6, color: '#102030' }]);
  });

  it('ignores links out of the grid and returns nothing for an empty stroke', () => {
    const assoc = hardAssoc(8, 8);
    assoc.data.fill(0.5, 0, 8 * 8); // k = 0 (top-left) points out of the grid for the first row and column of cells
    expect(anchorsFromStroke(assoc, 4, new Uint8Array(64), '#123456')).toEqual([]);
  });

  it('says what is wrong with its inputs', () => {
    const assoc = hardAssoc(8, 8);
    expect(() => anchorsFromStroke(assoc, 4, new Uint8Array(10), '#000000')).toThrow(/mask has 10 pixels, the association map 8x8 = 64/);
    expect(() => anchorsFromStroke(assoc, 4, new Uint8Array(64), 'red')).toThrow(/colour must look like #a1b2c3/);
    expect(() => anchorsFromStroke(assoc, 3, new Uint8Array(64), '#000000')).toThrow(/not a multiple of the cell size 3/);
    expect(() => anchorsFromStroke(cpuTensor([1, 3, 8, 8]), 4, new Uint8Array(64), '#000000')).toThrow(/must be \[1,9,H,W\]/);
  });
});
