import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AnchorsValue, TokensValue } from '../values/types.ts';
import { ANCHORS, TOKENS } from '../values/value-types.ts';
import { choice, defineNode, int, json, type NodeDef } from './node-def.ts';

// execute's argument types come from the declared ports and params (checked by the type check).
const typed = defineNode({
  id: 'test/typed', version: 1, displayName: 'Typed', category: 'test', description: 'types only',
  inputs: { grid: { type: TOKENS, optional: true }, anchors: { type: ANCHORS } },
  params: { k: int({ default: 3 }), init: choice({ default: 'a', options: ['a', 'b'] }), list: json<{ x: number }[]>({ default: [] }) },
  outputs: { anchors: { type: ANCHORS } },
  execute(_ctx, inputs, params) {
    expectTypeOf(inputs.grid).toEqualTypeOf<TokensValue | undefined>();
    expectTypeOf(inputs.anchors).toEqualTypeOf<AnchorsValue>();
    expectTypeOf(params.k).toEqualTypeOf<number>();
    expectTypeOf(params.init).toEqualTypeOf<'a' | 'b'>();
    expectTypeOf(params.list).toEqualTypeOf<{ x: number }[]>();
    return { anchors: { ...inputs.anchors, anchors: inputs.anchors.anchors.slice(0, params.k + params.list.length) } };
  },
});

describe('defineNode', () => {
  it('keeps a typed definition usable wherever any node is, and runs it', async () => {
    const any: NodeDef = typed;
    const anchors: AnchorsValue = { gridH: 1, gridW: 4, anchors: [0, 1, 2, 3].map((cell) => ({ cell, x: 0, y: 0, source: 'auto' as const })) };
    const out = await any.execute({} as never, { anchors }, { k: 1, init: 'a', list: [{ x: 0 }] });
    expect((out.anchors as AnchorsValue).anchors.map((a) => a.cell)).toEqual([0, 1]);
  });

  it('still refuses a default outside its own limits', () => {
    const bad = { ...typed, id: 'test/bad', params: { k: int({ default: 0, min: 1 }) }, execute: () => ({ anchors: undefined as never }) };
    expect(() => defineNode(bad)).toThrow(/default of "k" is 0, below the minimum 1/);
  });
});
