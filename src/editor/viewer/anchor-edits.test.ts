import { describe, expect, it } from 'vitest';
import type { Anchor } from '../../runtime/values/types.ts';
import { abToHex, add, addMany, move, recolor, remove, toggleLock, viewAnchors, type UserAnchorSpec } from './anchor-edits.ts';

const grid = { h: 2, w: 2 };
const auto: Anchor[] = [
  { cell: 0, x: 0.25, y: 0.25, source: 'auto', cluster: 0 },
  { cell: 3, x: 0.75, y: 0.75, source: 'auto', cluster: 1 },
];
const coloured: Anchor[] = [{ cell: 3, x: 0.75, y: 0.75, source: 'auto', ab: [20, -30], bin: 5 }];

describe('viewAnchors', () => {
  it('shows user entries and the automatic anchors of untouched tokens, coloured from the run', () => {
    const list: UserAnchorSpec[] = [{ x: 0.2, y: 0.3, color: '#ff0000' }, { x: 0.7, y: 0.2, remove: true }];
    const v = viewAnchors(list, auto, grid, coloured);
    expect(v.map((a) => [a.id, a.cell, a.source, a.color])).toEqual([
      ['u0', 0, 'user', '#ff0000'],
      ['a3', 3, 'auto', abToHex([20, -30])],
    ]);
    expect(viewAnchors([{ x: 0.8, y: 0.8, remove: true }], auto, grid).map((a) => a.id)).toEqual(['a0']);
  });

  it('says where each colour came from: the reference (with its match), the model, or the user', () => {
    const match = { token: 7, gridH: 4, gridW: 4, confidence: 0.82, applied: true, box: [0.75, 0.25, 1, 0.5] as const };
    const weak = { ...match, token: 2, confidence: 0.2, applied: false };
    const run: Anchor[] = [
      { cell: 0, x: 0.25, y: 0.25, source: 'reference', ab: [30, 10], reference: match },
      { cell: 3, x: 0.75, y: 0.75, source: 'auto', ab: [20, -30], reference: weak },
    ];
    const v = viewAnchors([], auto, grid, run);
    expect(v.map((a) => [a.id, a.source, a.colourBy, a.reference?.token, a.color])).toEqual([
      ['a0', 'auto', 'reference', 7, abToHex([30, 10])],
      ['a3', 'auto', 'model', 2, abToHex([20, -30])],
    ]);
    // Overriding: the user's colour in that token wins and the reference match is no longer shown.
    const over = viewAnchors(recolor([], v[0], { ab: [-40, 30] }), auto, grid, run);
    expect(over.map((a) => [a.id, a.source, a.colourBy, a.reference])).toEqual([['u0', 'user', 'user', undefined], ['a3', 'auto', 'model', weak]]);
    // A user anchor without a colour (its source stays 'user') shows the match the run gave it.
    const userRun: Anchor[] = [{ cell: 0, x: 0.2, y: 0.2, source: 'user', ab: [30, 10], reference: match }];
    expect(viewAnchors([{ x: 0.2, y: 0.2 }], [], grid, userRun)[0]).toMatchObject({ source: 'user', colourBy: 'reference', reference: match });
  });
});

describe('anchor edits', () => {
  const [user] = viewAnchors([{ x: 0.2, y: 0.3, color: '#ff0000', locked: true }], [], grid);
  const a3 = viewAnchors([], auto, grid, coloured)[1];

  it('recolours a user entry in place and an automatic anchor by adding a user anchor', () => {
    expect(recolor([{ x: 0.2, y: 0.3, color: '#ff0000', locked: true }], user, { ab: [1, 2] })).toEqual([{ x: 0.2, y: 0.3, ab: [1, 2], locked: true }]);
    expect(recolor([], a3, { ab: [-40, 30] })).toEqual([{ x: 0.75, y: 0.75, ab: [-40, 30] }]);
  });

  it('moves a user entry, and an automatic anchor by a remove entry plus a user anchor with its colour', () => {
    expect(move([{ x: 0.2, y: 0.3, color: '#ff0000', locked: true }], user, 0.6, 0.1)).toEqual([{ x: 0.6, y: 0.1, color: '#ff0000', locked: true }]);
    expect(move([], a3, 0.1, 0.9)).toEqual([{ x: 0.75, y: 0.75, remove: true }, { x: 0.1, y: 0.9, ab: [20, -30] }]);
  });

  it('removes: automatic by a remove entry; user by dropping it, keeping an automatic anchor it hid away', () => {
    expect(remove([], a3, new Set([0, 3]), grid)).toEqual([{ x: 0.75, y: 0.75, remove: true }]);
    const list = [{ x: 0.2, y: 0.3, color: '#ff0000', locked: true }];
    expect(remove(list, user, new Set([3]), grid)).toEqual([]);
    expect(remove(list, user, new Set([0, 3]), grid)).toEqual([{ x: 0.2, y: 0.3, remove: true }]);
  });

  it('toggles the lock and adds anchors', () => {
    expect(toggleLock([{ x: 0.2, y: 0.3, color: '#ff0000', locked: true }], user)).toEqual([{ x: 0.2, y: 0.3, color: '#ff0000' }]);
    expect(toggleLock([], a3)).toEqual([{ x: 0.75, y: 0.75, ab: [20, -30], locked: true }]);
    expect(add([], 0.5, 0.5)).toEqual([{ x: 0.5, y: 0.5 }]);
    expect(addMany([{ x: 0.1, y: 0.1, color: '#000000' }, { x: 0.9, y: 0.9, color: '#000000' }], [{ x: 0.25, y: 0.25, color: '#ffffff' }], grid))
      .toEqual([{ x: 0.9, y: 0.9, color: '#000000' }, { x: 0.25, y: 0.25, color: '#ffffff' }]);
  });
});
