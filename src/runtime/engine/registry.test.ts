import { describe, expect, it } from 'vitest';
import { NodeRegistry } from './registry.ts';
import { makeToys } from './toy-nodes.fixture.ts';

describe('NodeRegistry', () => {
  it('registers, looks up and lists node types in order', () => {
    const defs = makeToys().registry.list();
    const reg = new NodeRegistry();
    reg.register(defs[0]).register(defs[1]);
    expect(reg.has('toy/num')).toBe(true);
    expect(reg.has('toy/nope')).toBe(false);
    expect(reg.get('toy/add')).toBe(defs[1]);
    expect(reg.get('toy/nope')).toBeUndefined();
    expect(reg.list().map((d) => d.id)).toEqual(['toy/num', 'toy/add']);
  });

  it('rejects a duplicate id', () => {
    const [num] = makeToys().registry.list();
    const reg = new NodeRegistry([num]);
    expect(() => reg.register({ ...num })).toThrow('node type "toy/num" is already registered');
  });
});
