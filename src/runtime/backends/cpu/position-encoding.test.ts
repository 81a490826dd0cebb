import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { positionEncodingCpu } from './position-encoding.ts';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('position encoding (CPU)', () => {
  it.each([
    ['h16_w16', 16, 16],
    ['h4_w3', 4, 3],
  ] as const)('matches posenc.%s within 2e-6', (key, h, w) => {
    const want = loadVector('posenc', key);
    const got = positionEncodingCpu(h, w);
    expect(got.shape).toEqual(want.shape);
    expect(maxAbsDiff(got.data, want.data)).toBeLessThanOrEqual(2e-6);
  });

  it('rejects a bad grid', () => {
    expect(() => positionEncodingCpu(0, 4)).toThrow(/grid/);
    expect(() => positionEncodingCpu(2.5, 4)).toThrow(/grid/);
  });
});
