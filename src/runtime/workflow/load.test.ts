import { describe, expect, it } from 'vitest';
import { WorkflowFormatError } from './errors.ts';
import { loadWorkflow, loadWorkflowObject, serializeWorkflow } from './load.ts';
import { sampleWorkflow, toyRegistry } from './toy-nodes.fixture.ts';

const registry = toyRegistry();

const errorOf = (f: () => unknown): WorkflowFormatError => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkflowFormatError);
    return e as WorkflowFormatError;
  }
  throw new Error('expected a WorkflowFormatError');
};

describe('loadWorkflow / serializeWorkflow', () => {
  it('build -> serialize -> load -> serialize is byte-identical', () => {
    const text = serializeWorkflow(sampleWorkflow());
    const { workflow, notes } = loadWorkflow(text, { registry });
    expect(notes).toEqual([]);
    expect(serializeWorkflow(workflow)).toBe(text);
    expect(text.startsWith('{\n  "id": "00000000-0000-4000-8000-000000000001",\n  "revision": 0,\n  "version": 1,')).toBe(true);
  });

  it('keeps unknown keys everywhere and their order', () => {
    const wf = JSON.parse(serializeWorkflow(sampleWorkflow()));
    wf.zTop = { a: 1 };
    wf.nodes[0].customKey = [1, 2];
    wf.nodes[0].properties.someone = 'else';
    wf.nodes[1].inputs[0].label = 'picture';
    wf.nodes[1].outputs[0].shape = 3;
    wf.links[0].foo = 'bar';
    wf.extra.ds = { scale: 1.5, offset: [10, 20] };
    wf.extra.disco.future = { x: true };
    wf.state.extraCounter = 7;
    wf.groups.push({ id: 1, title: 'G', bounding: [0, 0, 100, 100], color: '#333', flags: {} });
    const text = JSON.stringify(wf, null, 2) + '\n';
    const { workflow } = loadWorkflow(text, { registry });
    expect(serializeWorkflow(workflow)).toBe(text);
  });

  it('loads floating links (litegraph writes -1 for the loose end) and refuses other negative slots', () => {
    const wf = sampleWorkflow();
    (wf as Record<string, unknown>).floatingLinks = [
      { id: 9, origin_id: 1, origin_slot: 0, target_id: -1, target_slot: -1, type: 'IMAGE', parentId: 1 },
      { id: 10, origin_id: -1, origin_slot: -1, target_id: 3, target_slot: 0, type: 'IMAGE', parentId: 1 },
    ];
    expect(loadWorkflowObject(wf, { registry }).workflow.floatingLinks).toHaveLength(2);
    (wf.floatingLinks![0] as Record<string, unknown>).target_slot = -2;
    expect(errorOf(() => loadWorkflowObject(wf, { registry })).message).toBe('workflow: floatingLinks[0].target_slot: expected a slot index or -1');
  });

  it('does not modify the object it is given', () => {
    const raw = JSON.parse(serializeWorkflow(sampleWorkflow()));
    delete raw.extra.disco; // triggers the formatVersion 1 -> 2 migration
    const before = JSON.stringify(raw);
    loadWorkflowObject(raw, { registry });
    expect(JSON.stringify(raw)).toBe(before);
  });

  it('rejects text that is not JSON', () => {
    const e = errorOf(() => loadWorkflow('{"version": 1,', { registry }));
    expect(e.message).toMatch(/^not JSON at line \d+, column \d+ \([^\n]+\)$/);
    expect(errorOf(() => loadWorkflow('[1,2]', { registry })).message).toBe('workflow: expected a JSON object, got an array');
  });

  it('enforces the size limit in UTF-8 bytes', () => {
    const text = serializeWorkflow(sampleWorkflow());
    const bytes = new TextEncoder().encode(text).length;
    expect(bytes).toBeGreaterThan(text.length); // the sample has non-ASCII text
    expect(loadWorkflow(text, { registry, maxBytes: bytes }).workflow.nodes).toHaveLength(3);
    const e = errorOf(() => loadWorkflow(text, { registry, maxBytes: bytes - 1 }));
    expect(e.message).toMatch(new RegExp(`^workflow is too large: .* \\(${bytes} bytes\\), the limit is `));
    expect(errorOf(() => loadWorkflow(' '.repeat(17 * 1024 * 1024), { registry })).message).toMatch(/the limit is 16\.0 MiB/);
  });

  it('rejects an unknown schema version', () => {
    const wf = JSON.parse(serializeWorkflow(sampleWorkflow()));
    wf.version = 2;
    expect(errorOf(() => loadWorkflowObject(wf, { registry })).message).toBe('version: expected 1 (ComfyUI workflow schema 1) or 0.4, got 2');
  });
});

describe('validation messages name the path', () => {
  const cases: [string, (wf: any) => void, string][] = [
    ['pos', (wf) => { wf.nodes[2].pos = [1, 'x']; }, 'nodes[2].pos: expected an array of 2 numbers'],
    ['size', (wf) => { wf.nodes[0].size = [1]; }, 'nodes[0].size: expected an array of 2 numbers'],
    ['node id', (wf) => { wf.nodes[1].id = null; }, 'nodes[1].id: expected a node id (a whole number or text)'],
    ['duplicate id', (wf) => { wf.nodes[2].id = 1; }, 'nodes[2].id: duplicate node id 1 (also nodes[0])'],
    ['type', (wf) => { wf.nodes[0].type = ''; }, 'nodes[0].type: expected a node type, got an empty string'],
    ['mode', (wf) => { wf.nodes[0].mode = 'on'; }, 'nodes[0].mode: expected a node mode (0 always, 2 never, 4 bypass)'],
    ['input link', (wf) => { wf.nodes[1].inputs[0].link = 'x'; }, 'nodes[1].inputs[0].link: expected a link id or null'],
    ['output links', (wf) => { wf.nodes[0].outputs[0].links = 5; }, 'nodes[0].outputs[0].links: expected an array of link ids or null'],
    ['params map', (wf) => { wf.nodes[0].properties.params = [1, 2]; }, 'nodes[0].properties.params: expected an object mapping parameter names to values'],
    ['link slot', (wf) => { wf.links[1].origin_slot = -1; }, 'links[1].origin_slot: expected a slot index'],
    ['link array', (wf) => { wf.links = {}; }, 'links: expected an array of link objects'],
    ['nodes missing', (wf) => { delete wf.nodes; }, 'nodes: expected an array of nodes'],
    ['state', (wf) => { wf.state.lastLinkId = 1.5; }, 'state.lastLinkId: expected a whole number >= 0'],
    ['group', (wf) => { wf.groups = [{ title: 'g', bounding: [0, 0, 1] }]; }, 'groups[0].bounding: expected an array of 4 numbers'],
    ['formatVersion', (wf) => { wf.extra.disco.formatVersion = '2'; }, 'extra.disco.formatVersion: expected a whole number >= 1'],
    ['model sha', (wf) => { wf.extra.disco.models = [{ set: 's', stage: 'a', file: 'f.onnx', sha256: 'abc' }]; }, 'extra.disco.models[0].sha256: expected a sha256 as 64 lowercase hex digits'],
  ];
  for (const [name, edit, message] of cases) {
    it(name, () => {
      const wf = JSON.parse(serializeWorkflow(sampleWorkflow()));
      edit(wf);
      const e = errorOf(() => loadWorkflow(JSON.stringify(wf), { registry }));
      expect(e.problems).toEqual([message]);
      expect(e.message).toBe(`workflow: ${message}`);
    });
  }

  it('lists several problems, the first five in the message', () => {
    const wf = JSON.parse(serializeWorkflow(sampleWorkflow()));
    for (const n of wf.nodes) n.pos = null;
    for (const n of wf.nodes) n.size = null;
    const e = errorOf(() => loadWorkflowObject(wf, { registry }));
    expect(e.problems).toHaveLength(6);
    expect(e.message).toMatch(/^workflow: nodes\[0\]\.pos: .*; .* \(and 1 more\)$/);
  });
});
