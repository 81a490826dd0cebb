import { describe, expect, it } from 'vitest';
import { loadWorkflow, serializeWorkflow } from './load.ts';
import { findPlaceholders, missingNodeTypes } from './placeholders.ts';
import { toExecGraph } from './to-exec.ts';
import { sampleWorkflow, toyBlur, toyRegistry, toySink, toySource } from './toy-nodes.fixture.ts';

const registry = toyRegistry();

describe('toExecGraph', () => {
  it('turns ids into strings, params by name, links into [sourceId, slot], modes into names', () => {
    const { graph, missingTypes, issues } = toExecGraph(sampleWorkflow(), registry);
    expect(missingTypes).toEqual([]);
    expect(issues).toEqual([]);
    expect(graph).toEqual({
      '1': { type: 'toy/source', inputs: { size: 16, label: 'ü — 日本' }, title: 'Toy Source' },
      '2': { type: 'toy/blur', inputs: { image: ['1', 0], radius: 2.5, kind: 'box' }, mode: 'bypass', title: 'Blur it' },
      '3': { type: 'toy/sink', inputs: { image: ['2', 0], gray: ['2', 1], points: [{ x: 0.5, y: 0.25 }] }, title: 'Toy Sink' },
    });
  });

  it('keeps node ids named like Object.prototype members (__proto__, constructor, toString) as ordinary ids', () => {
    const wf = sampleWorkflow();
    const ids: Record<string, string> = { 1: '__proto__', 2: 'constructor', 3: 'toString' };
    for (const n of wf.nodes) n.id = ids[String(n.id)]!;
    for (const l of wf.links!) Object.assign(l, { origin_id: ids[String(l.origin_id)], target_id: ids[String(l.target_id)] });
    const { graph, issues } = toExecGraph(wf, registry);
    expect(issues).toEqual([]);
    expect(Object.keys(graph)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(graph)).toBeNull();
    expect(graph['__proto__']!.type).toBe('toy/source');
    expect(graph['constructor']!.inputs.image).toEqual(['__proto__', 0]);
    expect(graph['toString']!.inputs.gray).toEqual(['constructor', 1]);
  });

  it('maps litegraph mode 2 to mute and reports unsupported modes', () => {
    const wf = sampleWorkflow();
    wf.nodes[0]!.mode = 2;
    wf.nodes[2]!.mode = 1;
    const { graph, issues } = toExecGraph(wf, registry);
    expect(graph['1']!.mode).toBe('mute');
    expect(graph['3']!.mode).toBeUndefined();
    expect(issues).toEqual([{ nodeId: '3', message: 'litegraph mode 1 is not supported; the node runs normally' }]);
  });

  it('reads params by name first, then widgets_values, then defaults (reported)', () => {
    const wf = sampleWorkflow();
    wf.nodes[1]!.properties = { params: { kind: 'gauss' } };
    wf.nodes[1]!.widgets_values = [9, 'box'];
    wf.nodes[0]!.properties = {};
    wf.nodes[0]!.widgets_values = [];
    const { graph, issues } = toExecGraph(wf, registry);
    expect(graph['2']!.inputs).toMatchObject({ radius: 9, kind: 'gauss' });
    expect(graph['1']!.inputs).toEqual({ size: 8, label: 'a' });
    expect(issues).toEqual([{ nodeId: '1', message: 'parameters not saved, defaults used: size, label' }]);
  });

  it('reports dangling links and leaves those inputs out', () => {
    const wf = sampleWorkflow();
    wf.nodes[2]!.inputs![0]!.link = 99;
    wf.links = wf.links!.filter((l) => l.id !== 3).concat([{ id: 3, origin_id: 42, origin_slot: 1, target_id: 3, target_slot: 1, type: 'GRAY' }]);
    const { graph, issues } = toExecGraph(wf, registry);
    expect(graph['3']!.inputs).toEqual({ points: [{ x: 0.5, y: 0.25 }] });
    expect(issues).toEqual([
      { nodeId: '3', message: 'input "image" refers to link 99, which does not exist' },
      { nodeId: '3', message: 'input "gray" comes from node 42, which does not exist' },
    ]);
  });
});

describe('unknown node types load as placeholders', () => {
  it('are kept byte for byte, left out of the exec graph, listed in missingTypes', () => {
    const wf = JSON.parse(serializeWorkflow(sampleWorkflow()));
    // Node 2 becomes a type this install does not have, with data only that node type understands.
    Object.assign(wf.nodes[1], { type: 'other/fancy-blur', widgets_values: [1, { deep: [true, null] }, 'z'], properties: { secret: 1 } });
    wf.nodes[1].outputs.push({ name: 'extra', type: 'FANCY', links: [] });
    const text = JSON.stringify(wf, null, 2) + '\n';
    const onlyKnown = toyRegistry([toySource, toySink]);

    const { workflow, notes } = loadWorkflow(text, { registry: onlyKnown });
    expect(notes).toEqual([]);
    expect(serializeWorkflow(workflow)).toBe(text);
    expect(findPlaceholders(workflow, onlyKnown).map((p) => [p.nodeId, p.type])).toEqual([['2', 'other/fancy-blur']]);
    expect(missingNodeTypes(workflow, onlyKnown)).toEqual(['other/fancy-blur']);

    const { graph, missingTypes, issues } = toExecGraph(workflow, onlyKnown);
    expect(missingTypes).toEqual(['other/fancy-blur']);
    expect(Object.keys(graph)).toEqual(['1', '3']);
    expect(graph['3']!.inputs).toEqual({ points: [{ x: 0.5, y: 0.25 }] }); // its dependents lose those inputs
    expect(issues.map((i) => i.message)).toEqual([
      'input "image" comes from node 2, whose type other/fancy-blur is not installed',
      'input "gray" comes from node 2, whose type other/fancy-blur is not installed',
    ]);
    // With the type installed again, the same file runs as before.
    expect(Object.keys(toExecGraph(workflow, toyRegistry([toySource, toySink, { ...toyBlur, id: 'other/fancy-blur' }])).graph)).toEqual(['1', '2', '3']);
  });
});
