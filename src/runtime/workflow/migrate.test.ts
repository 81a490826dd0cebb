import { describe, expect, it } from 'vitest';
import { WorkflowFormatError } from './errors.ts';
import { loadWorkflow, loadWorkflowObject, serializeWorkflow } from './load.ts';
import { CURRENT_FORMAT_VERSION } from './migrate.ts';
import { toExecGraph } from './to-exec.ts';
import { sampleWorkflow, toyRegistry } from './toy-nodes.fixture.ts';

const registry = toyRegistry();

/** A formatVersion 1 file: parameters only positional in widgets_values, no properties.params. */
function formatV1(): any {
  const wf = JSON.parse(serializeWorkflow(sampleWorkflow()));
  wf.extra.disco.formatVersion = 1;
  for (const n of wf.nodes) delete n.properties.params;
  wf.nodes[1].widgets_values = [7.5, 'gauss'];
  return wf;
}

describe('formatVersion migrations', () => {
  it('current is 2', () => expect(CURRENT_FORMAT_VERSION).toBe(2));

  it('1 -> 2 moves positional widgets_values into properties.params by name', () => {
    const { workflow, notes } = loadWorkflowObject(formatV1(), { registry });
    expect(notes).toEqual(['formatVersion 1 -> 2: parameters copied from widgets_values into properties.params by name']);
    expect(workflow.extra?.disco?.formatVersion).toBe(2);
    expect(workflow.extra?.disco?.appVersion).toBe('0.1.0'); // other disco keys kept
    expect(workflow.nodes.map((n) => n.properties?.params)).toEqual([
      { size: 16, label: 'ü — 日本' },
      { radius: 7.5, kind: 'gauss' },
      { points: [{ x: 0.5, y: 0.25 }] },
    ]);
    expect(workflow.nodes[1]!.widgets_values).toEqual([7.5, 'gauss']);
    // Once by name, the values no longer depend on widget order.
    const reordered = structuredClone(workflow);
    reordered.nodes[1]!.widgets_values = ['gauss', 7.5];
    expect(toExecGraph(reordered, registry).graph['2']!.inputs).toMatchObject({ radius: 7.5, kind: 'gauss' });
    // And the migrated file round-trips as a current one.
    const text = serializeWorkflow(workflow);
    const again = loadWorkflow(text, { registry });
    expect(again.notes).toEqual([]);
    expect(serializeWorkflow(again.workflow)).toBe(text);
  });

  it('1 -> 2 leaves short widgets_values to the defaults and unknown node types untouched', () => {
    const wf = formatV1();
    wf.nodes[1].widgets_values = [3];
    wf.nodes[0].type = 'other/unknown';
    const before = JSON.stringify(wf.nodes[0]);
    const { workflow } = loadWorkflowObject(wf, { registry });
    expect(workflow.nodes[1]!.properties?.params).toEqual({ radius: 3 });
    expect(JSON.stringify(workflow.nodes[0])).toBe(before);
  });

  it('a workflow without extra.disco (plain ComfyUI) is treated as formatVersion 1', () => {
    const wf = formatV1();
    delete wf.extra.disco;
    const { workflow } = loadWorkflowObject(wf, { registry });
    expect(workflow.extra?.disco).toEqual({ formatVersion: 2 });
    expect(workflow.nodes[1]!.properties?.params).toEqual({ radius: 7.5, kind: 'gauss' });
  });

  it('refuses a formatVersion newer than this version, naming both', () => {
    const wf = JSON.parse(serializeWorkflow(sampleWorkflow()));
    wf.extra.disco.formatVersion = 3;
    expect(() => loadWorkflowObject(wf, { registry })).toThrow(WorkflowFormatError);
    expect(() => loadWorkflowObject(wf, { registry })).toThrow(
      'extra.disco.formatVersion is 3, but this version of Disco Nodes reads formatVersion 2 at most; open it with a newer Disco Nodes',
    );
  });
});

/** What litegraph `serialize()` writes (schema 0.4), as found in ComfyUI files. */
const comfy04 = {
  last_node_id: 3,
  last_link_id: 2,
  nodes: [
    { id: 1, type: 'toy/source', pos: [10, 10], size: { 0: 200, 1: 80 } as unknown, flags: {}, order: 0, mode: 0,
      outputs: [{ name: 'image', type: 'IMAGE', links: [1], slot_index: 0 }], properties: { 'Node name for S&R': 'toy/source' }, widgets_values: [32, 'x'] },
    { id: 2, type: 'toy/blur', pos: [300, 10], size: [200, 80], flags: {}, order: 1, mode: 4,
      inputs: [{ name: 'image', type: 'IMAGE', link: 1 }],
      outputs: [{ name: 'image', type: 'IMAGE', links: [2] }, { name: 'gray', type: 'GRAY', links: null }], properties: {}, widgets_values: [2, 'box'] },
    { id: 3, type: 'toy/sink', pos: [600, 10], size: [200, 80], flags: {}, order: 2, mode: 0,
      inputs: [{ name: 'image', type: 'IMAGE', link: 2 }, { name: 'gray', type: 'GRAY', link: null }], properties: {}, widgets_values: [[1, 2]] },
  ],
  links: [[1, 1, 0, 2, 0, 'IMAGE'], [2, 2, 0, 3, 0, 'IMAGE']],
  groups: [{ title: 'Group', bounding: [0, 0, 900, 200], color: '#3f789e', font_size: 24 }],
  config: {},
  extra: { ds: { scale: 1, offset: [0, 0] }, reroutes: [{ id: 4, pos: [250, 50], linkIds: [1] }], linkExtensions: [{ id: 1, parentId: 4 }] },
  models: [{ name: 'x.safetensors' }],
  version: 0.4,
};

describe('ComfyUI schema 0.4 -> 1', () => {
  it('converts links to objects, fills state, moves reroutes, keeps unknown keys, then migrates the format', () => {
    const raw = structuredClone(comfy04);
    const { workflow, notes } = loadWorkflowObject(raw, { registry, newId: () => 'graph-1' });
    expect(notes).toEqual([
      'ComfyUI schema 0.4 -> 1: links converted to objects',
      'formatVersion 1 -> 2: parameters copied from widgets_values into properties.params by name',
    ]);
    expect(Object.keys(workflow)).toEqual(['id', 'revision', 'version', 'config', 'state', 'groups', 'nodes', 'links', 'reroutes', 'extra', 'models']);
    expect(workflow.id).toBe('graph-1');
    expect(workflow.state).toEqual({ lastNodeId: 3, lastLinkId: 2, lastGroupId: 1, lastRerouteId: 4 });
    expect(workflow.links).toEqual([
      { id: 1, origin_id: 1, origin_slot: 0, target_id: 2, target_slot: 0, type: 'IMAGE', parentId: 4 },
      { id: 2, origin_id: 2, origin_slot: 0, target_id: 3, target_slot: 0, type: 'IMAGE' },
    ]);
    expect(workflow.groups?.[0]).toEqual({ id: 1, title: 'Group', bounding: [0, 0, 900, 200], color: '#3f789e', font_size: 24 });
    expect(workflow.reroutes).toEqual([{ id: 4, pos: [250, 50], linkIds: [1] }]);
    expect(workflow.extra).toEqual({ ds: { scale: 1, offset: [0, 0] }, disco: { formatVersion: 2 } });
    expect(workflow.nodes[0]!.size).toEqual([200, 80]); // was {"0": 200, "1": 80}
    expect(raw.nodes[0]!.size).toEqual({ 0: 200, 1: 80 }); // the input is not modified
    expect(workflow.nodes[0]!.properties).toEqual({ 'Node name for S&R': 'toy/source', params: { size: 32, label: 'x' } });

    const { graph, missingTypes } = toExecGraph(workflow, registry);
    expect(missingTypes).toEqual([]);
    expect(graph).toEqual({
      '1': { type: 'toy/source', inputs: { size: 32, label: 'x' }, title: 'Toy Source' },
      '2': { type: 'toy/blur', inputs: { image: ['1', 0], radius: 2, kind: 'box' }, mode: 'bypass', title: 'Toy Blur' },
      '3': { type: 'toy/sink', inputs: { image: ['2', 0], points: [1, 2] }, title: 'Toy Sink' },
    });
  });

  it('validates 0.4 files with their own messages', () => {
    const raw: any = structuredClone(comfy04);
    raw.links[1] = [2, 2, 0, 3];
    expect(() => loadWorkflowObject(raw, { registry })).toThrow(/^workflow \(ComfyUI schema 0\.4\): links\[1\]/);
  });
});
