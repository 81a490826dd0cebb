import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_VERSION, buildWorkflow, setParam } from './build.ts';
import { loadWorkflowObject, serializeWorkflow } from './load.ts';
import { toExecGraph } from './to-exec.ts';
import { sampleWorkflow, toyRegistry } from './toy-nodes.fixture.ts';

const registry = toyRegistry();

describe('buildWorkflow', () => {
  it('fills ports, typed links, state, layout and extra.disco', () => {
    const wf = sampleWorkflow();
    expect(wf.state).toEqual({ lastNodeId: 3, lastLinkId: 3, lastGroupId: 0, lastRerouteId: 0 });
    expect(wf.links).toEqual([
      { id: 1, origin_id: 1, origin_slot: 0, target_id: 2, target_slot: 0, type: 'IMAGE' },
      { id: 2, origin_id: 2, origin_slot: 0, target_id: 3, target_slot: 0, type: 'IMAGE' },
      { id: 3, origin_id: 2, origin_slot: 1, target_id: 3, target_slot: 1, type: 'GRAY' },
    ]);
    const blur = wf.nodes[1]!;
    expect(blur).toMatchObject({
      id: 2, type: 'toy/blur', order: 1, mode: 4, title: 'Blur it',
      inputs: [{ name: 'image', type: 'IMAGE', link: 1 }],
      outputs: [{ name: 'image', type: 'IMAGE', links: [2] }, { name: 'gray', type: 'GRAY', links: [3] }],
      properties: { nodeVersion: 2, params: { radius: 2.5, kind: 'box' } },
      widgets_values: [2.5, 'box'],
    });
    // A lane per depth, left to right, under the title bar; sizes as the editor draws the nodes.
    expect(wf.nodes.map((n) => n.pos)).toEqual([[40, 70], [320, 70], [600, 70]]);
    expect(wf.nodes.map((n) => n.size)).toEqual([[220, 240], [220, 260], [220, 236]]);
    expect(wf.groups).toEqual([]);
    expect(wf.extra).toEqual({ disco: { formatVersion: 2, appVersion: APP_VERSION, models: [] } });
    expect(loadWorkflowObject(wf, { registry }).notes).toEqual([]);
  });

  it('lays titled lanes out as groups of equal height, nodes stacked in the order given', () => {
    const base = sampleWorkflow();
    const spec = {
      nodes: base.nodes.map((n) => ({ id: n.id as number, type: n.type })),
      links: [[1, 'image', 2, 'image'], [2, 'image', 3, 'image']] as const,
      lanes: [{ title: 'In', nodes: [1, 2] }, { title: 'Out', nodes: [3] }],
    };
    const wf = buildWorkflow(spec, registry);
    const [a, b, c] = wf.nodes.map((n) => ({ pos: n.pos, size: n.size }));
    expect(a!.pos[0]).toBe(b!.pos[0]);
    expect(b!.pos[1]).toBe(a!.pos[1] + a!.size[1] + 24 + 30); // the gap, then b's title bar
    expect(c!.pos[0]).toBeGreaterThan(a!.pos[0] + a!.size[0]);
    expect(wf.groups!.map((g) => g.title)).toEqual(['In', 'Out']);
    const [g1, g2] = wf.groups!.map((g) => g.bounding as number[]);
    expect(g1![3]).toBe(g2![3]);
    expect(g1![1] + g1![3]).toBeGreaterThan(b!.pos[1] + b!.size[1]); // b inside its lane
    expect(wf.state.lastGroupId).toBe(2);
    expect(loadWorkflowObject(wf, { registry }).notes).toEqual([]);
  });

  it('refuses lanes that miss a node, repeat one or name an unknown one', () => {
    const nodes = [{ id: 1, type: 'toy/source' }, { id: 2, type: 'toy/sink' }];
    expect(() => buildWorkflow({ nodes, lanes: [{ nodes: [1] }] }, registry)).toThrow('nodes 2 are in no lane');
    expect(() => buildWorkflow({ nodes, lanes: [{ nodes: [1, 2] }, { nodes: [2] }] }, registry)).toThrow('lanes[1]: node 2 is already in lanes[0]');
    expect(() => buildWorkflow({ nodes, lanes: [{ nodes: [1, 2, 3] }] }, registry)).toThrow('lanes[0]: no node 3');
    expect(() => buildWorkflow({ nodes, lanes: [{ nodes: [1, 2] }, { nodes: [] }] }, registry)).toThrow('lanes[1] has no nodes');
  });

  it('APP_VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(APP_VERSION).toBe(pkg.version);
  });

  const bad: [string, Parameters<typeof buildWorkflow>[0], string][] = [
    ['unknown type', { nodes: [{ id: 1, type: 'toy/nope' }] }, 'node 1: unknown node type "toy/nope"'],
    ['duplicate id', { nodes: [{ id: 1, type: 'toy/source' }, { id: 1, type: 'toy/sink' }] }, 'node id 1 is used twice'],
    ['bad id', { nodes: [{ id: 0, type: 'toy/source' }] }, 'node id 0 must be a whole number >= 1'],
    ['unknown param', { nodes: [{ id: 1, type: 'toy/source', params: { sise: 3 } }] }, 'node 1 (toy/source): unknown parameter "sise" (parameters: size, label)'],
    ['param range', { nodes: [{ id: 1, type: 'toy/source', params: { size: 65 } }] }, 'node 1 (toy/source): parameter "size" is 65, above the maximum 64'],
    ['no output', { nodes: [{ id: 1, type: 'toy/source' }, { id: 2, type: 'toy/sink' }], links: [[1, 'img', 2, 'image']] },
      'links[0] (1.img -> 2.image): toy/source has no output "img" (outputs: image)'],
    ['type mismatch', { nodes: [{ id: 1, type: 'toy/source' }, { id: 2, type: 'toy/sink' }], links: [[1, 'image', 2, 'gray']] },
      'links[0] (1.image -> 2.gray): cannot connect IMAGE to GRAY'],
    ['input linked twice', { nodes: [{ id: 1, type: 'toy/source' }, { id: 2, type: 'toy/sink' }], links: [[1, 'image', 2, 'image'], [1, 'image', 2, 'image']] },
      'links[1] (1.image -> 2.image): input "image" of node 2 is already linked'],
    ['cycle', { nodes: [{ id: 1, type: 'toy/blur' }, { id: 2, type: 'toy/blur' }], links: [[1, 'image', 2, 'image'], [2, 'image', 1, 'image']] },
      'links form a cycle through nodes 1, 2'],
  ];
  for (const [name, spec, message] of bad) it(`refuses: ${name}`, () => expect(() => buildWorkflow(spec, registry)).toThrow(message));
});

describe('setParam', () => {
  it('returns a new workflow with the value by name and in widgets_values', () => {
    const wf = sampleWorkflow();
    const before = serializeWorkflow(wf);
    const out = setParam(wf, '2', 'kind', 'gauss', registry);
    expect(serializeWorkflow(wf)).toBe(before);
    expect(out.nodes[1]!.properties?.params).toEqual({ radius: 2.5, kind: 'gauss' });
    expect(out.nodes[1]!.widgets_values).toEqual([2.5, 'gauss']);
    expect(toExecGraph(out, registry).graph['2']!.inputs).toMatchObject({ kind: 'gauss' });
    const expected = structuredClone(wf); // nothing else changes, key order included
    expected.nodes[1]!.properties!.params!.kind = 'gauss';
    (expected.nodes[1]!.widgets_values as unknown[])[1] = 'gauss';
    expect(serializeWorkflow(out)).toBe(serializeWorkflow(expected));
  });

  it('gives a positional-only node a complete by-name map', () => {
    const wf = sampleWorkflow();
    wf.nodes[1]!.properties = {};
    wf.nodes[1]!.widgets_values = [4];
    const out = setParam(wf, 2, 'kind', 'gauss', registry);
    expect(out.nodes[1]!.properties?.params).toEqual({ radius: 4, kind: 'gauss' });
    expect(out.nodes[1]!.widgets_values).toEqual([4, 'gauss']);
  });

  it('refuses unknown nodes, unknown params and bad values', () => {
    const wf = sampleWorkflow();
    expect(() => setParam(wf, 9, 'size', 1, registry)).toThrow('no node 9 in the workflow');
    expect(() => setParam(wf, 1, 'radius', 1, registry)).toThrow('node 1 (toy/source) has no parameter "radius" (parameters: size, label)');
    expect(() => setParam(wf, 1, 'size', 1.5, registry)).toThrow('node 1 (toy/source): parameter "size" must be a whole number, got 1.5');
    expect(() => setParam(wf, 1, 'size', 1, toyRegistry([]))).toThrow('node 1 has type toy/source, which is not installed; its parameters cannot be set');
  });
});
