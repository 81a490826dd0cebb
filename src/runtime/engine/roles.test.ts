import { describe, expect, it } from 'vitest';
import { allNodes } from '../../nodes/index.ts';
import { defineNode, str } from './node-def.ts';
import { NodeRegistry } from './registry.ts';
import { imageParam, roleOf } from './roles.ts';

const registry = new NodeRegistry(allNodes);

describe('node roles and image-file parameters', () => {
  it('each role the editor and CLI rely on is declared by exactly one shipped node type', () => {
    const byRole = (role: string) => allNodes.filter((d) => d.role === role).map((d) => d.id);
    expect(byRole('photo')).toEqual(['disco/load-image']);
    expect(byRole('result')).toEqual(['disco/save-image']);
    expect(byRole('colorized')).toEqual(['disco/recombine']);
    expect(byRole('user-anchors')).toEqual(['disco/user-anchors']);
    expect(byRole('auto-anchors')).toEqual(['disco/anchor-locator']);
    expect(byRole('anchor-colors')).toEqual(['disco/anchor-colors']);
    expect(byRole('model-set')).toEqual(['disco/load-model-set']);
  });

  it('the parameters a role promises exist on the node that declares it', () => {
    const promised: Record<string, string> = { 'user-anchors': 'anchors', 'auto-anchors': 'k', 'anchor-colors': 'variant', 'model-set': 'set', result: 'filename_prefix' };
    for (const d of allNodes) if (d.role && promised[d.role]) expect(Object.keys(d.params), `${d.id}`).toContain(promised[d.role]);
  });

  it('finds the image-file parameter by declaration, whatever its name', () => {
    expect(imageParam(registry.get('disco/load-image'))).toBe('image');
    expect(imageParam(registry.get('disco/save-image'))).toBeUndefined(); // a plain string param
    expect(imageParam(undefined)).toBeUndefined();
    const picker = defineNode({
      id: 'test/picker', version: 1, displayName: 'Picker', category: 'test', description: '', inputs: {}, outputs: {},
      params: { caption: str({ default: '' }), photo: str({ default: '', file: 'image' }) },
      execute: () => ({}),
    });
    expect(imageParam(picker)).toBe('photo');
  });

  it('roleOf: unknown types and types without a role have none', () => {
    expect(roleOf(registry, 'disco/load-image')).toBe('photo');
    expect(roleOf(registry, 'disco/sp-pool')).toBeUndefined();
    expect(roleOf(registry, 'nobody/nothing')).toBeUndefined();
  });
});
