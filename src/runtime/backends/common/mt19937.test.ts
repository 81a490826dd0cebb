import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../../test/helpers/vectors.ts';
import { MT19937 } from './mt19937.ts';

describe('MT19937 (numpy legacy RandomState)', () => {
  it.each([0, 130])('raw outputs after seed(%i)', (seed) => {
    const want = loadVector('mt19937', `raw_seed${seed}`).data;
    const rng = new MT19937(seed);
    const got = Array.from({ length: want.length }, () => rng.nextU32());
    expect(got).toEqual(Array.from(want));
  });

  it('a clone draws what the original draws from there on, independently', () => {
    const want = Array.from(loadVector('mt19937', 'raw_seed0').data);
    const rng = new MT19937(0);
    for (let i = 0; i < 10; i++) rng.nextU32();
    const copy = rng.clone();
    const rest = want.slice(10);
    expect(rest.map(() => rng.nextU32())).toEqual(rest);
    expect(rest.map(() => copy.nextU32())).toEqual(rest);
  });

  it.each([0, 130])('choice(256, 8, replace=False) after seed(%i)', (seed) => {
    const want = loadVector('mt19937', `choice256_8_seed${seed}`).data;
    expect(Array.from(new MT19937(seed).choice(256, 8))).toEqual(Array.from(want));
  });

  it.each([256, 1024])('permutation(%i) after seed(1)', (n) => {
    const want = loadVector('mt19937', `perm${n}_seed1`).data;
    expect(Array.from(new MT19937(1).permutation(n))).toEqual(Array.from(want));
  });

  it('bounded(m) stays in 0..m and rejects bad seeds and counts', () => {
    const rng = new MT19937(7);
    for (const m of [0, 1, 2, 5, 255, 256, 1000]) {
      for (let i = 0; i < 50; i++) {
        const v = rng.bounded(m);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(m);
      }
    }
    expect(() => new MT19937(-1)).toThrow(/seed/);
    expect(() => new MT19937(1).choice(4, 5)).toThrow(/cannot choose 5/);
  });
});
