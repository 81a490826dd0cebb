import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allNodes } from '../../nodes/index.ts';
import { NodeRegistry } from '../../runtime/engine/registry.ts';
import { loadWorkflow, toExecGraph } from '../../runtime/workflow/index.ts';
import { findRoles } from './roles.ts';

const registry = new NodeRegistry(allNodes);
const exec = (file: string) => toExecGraph(loadWorkflow(readFileSync(new URL(`../../../workflows/${file}`, import.meta.url), 'utf8'), { registry }).workflow, registry).graph;

describe('findRoles', () => {
  it('finds the parts of the training-free user-guided workflow', () => {
    expect(findRoles(exec('user-guided.json'), registry)).toEqual({ userAnchors: '8', affinity: '6', photo: '1', result: '11' });
  });

  it('finds the parts of the automatic DISCO workflow', () => {
    expect(findRoles(exec('disco-auto.json'), registry)).toEqual({
      userAnchors: '12', autoAnchors: '11', anchorColors: '14', colorDist: '10', affinity: '7', photo: '1', result: '19',
    });
  });

  it('finds the reference photo and its superpixels, and keeps the photo the one to colourise', () => {
    const roles = findRoles(exec('reference-guided.json'), registry);
    const g = exec('reference-guided.json');
    expect(g[roles.reference!].type).toBe('disco/load-reference');
    expect(g[roles.photo!].type).toBe('disco/load-image');
    // The reference's SpixelNet, not the photo's (the one the overlays and anchors use).
    expect(g[roles.referenceAffinity!].type).toBe('disco/spixelnet');
    expect(roles.referenceAffinity).not.toBe(roles.affinity);
    expect(findRoles(exec('disco-auto.json'), registry).reference).toBeUndefined();
  });

  it('reads the roles the definitions declare, not node ids', () => {
    // The same workflow with every type renamed: the roles must still be found.
    const renamed = new NodeRegistry(allNodes.map((d) => ({ ...d, id: d.id.replace('disco/', 'acme/') })));
    const g = exec('disco-auto.json');
    for (const n of Object.values(g)) (n as { type: string }).type = n.type.replace('disco/', 'acme/');
    expect(findRoles(g, renamed)).toEqual(findRoles(exec('disco-auto.json'), registry));
    // A type that declares no role is not taken for one.
    const noPhoto = new NodeRegistry(allNodes.map((d) => (d.role === 'photo' ? { ...d, role: undefined } : d)));
    expect(findRoles(exec('disco-auto.json'), noPhoto).photo).toBeUndefined();
  });

  it('leaves out what a graph does not have', () => {
    expect(findRoles({}, registry)).toEqual({});
  });
});
