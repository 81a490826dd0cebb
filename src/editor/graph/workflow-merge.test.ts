/**
 * Open + save in the editor keeps every key of a ComfyUI-shaped file (test/fixtures/comfyui/): a real
 * litegraph graph with our node classes registered loads the file as the editor does (loadIntoGraph)
 * and saves it as the editor does (graphToWorkflow); then the saved file is walked key by key.
 */
import { readFileSync } from 'node:fs';
import { LGraph } from '@comfyorg/litegraph';
import { beforeAll, describe, expect, it } from 'vitest';
import { allNodes } from '../../nodes/index.ts';
import { NodeRegistry } from '../../runtime/engine/registry.ts';
import { registerNodeDefs } from './def-to-litegraph.ts';
import { StatusBoard } from './node-status.ts';
import { graphToWorkflow, loadIntoGraph } from './workflow-io.ts';
import { mergeUncarried } from './workflow-merge.ts';

const registry = new NodeRegistry(allNodes);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/comfyui/${name}`, import.meta.url), 'utf8'));
type Json = Record<string, any>;

beforeAll(() => {
  const noop = () => {};
  registerNodeDefs(allNodes, { status: new StatusBoard(), paramChanged: noop, runTo: noop, view: noop, pickImage: noop, editJson: noop });
});

function openAndSave(text: string): Json {
  const graph = new LGraph();
  loadIntoGraph(graph, text, registry);
  return JSON.parse(JSON.stringify(graphToWorkflow(graph, registry)));
}

/**
 * Paths of `original` (objects key by key, arrays item by item; nodes by id) missing from `saved`.
 * Values may change where litegraph owns them (a node grows, order is recomputed); keys may not vanish.
 */
function missingKeys(original: unknown, saved: unknown, path = ''): string[] {
  if (typeof original !== 'object' || original === null) return [];
  if (typeof saved !== 'object' || saved === null) return [path || '(top)'];
  if (Array.isArray(original)) {
    if (!Array.isArray(saved)) return [path];
    return original.flatMap((v, i) => missingKeys(v, saved[i], `${path}[${i}]`));
  }
  const out: string[] = [];
  for (const [k, v] of Object.entries(original)) {
    const p = path ? `${path}.${k}` : k;
    if (!Object.hasOwn(saved, k)) out.push(p);
    else if (k === 'nodes' && Array.isArray(v)) {
      const byId = new Map(((saved as Json)[k] as Json[]).map((n) => [String(n.id), n]));
      for (const n of v as Json[]) out.push(...(byId.has(String(n.id)) ? missingKeys(n, byId.get(String(n.id)), `${p}[id=${n.id}]`) : [`${p}[id=${n.id}]`]));
    } else out.push(...missingKeys(v, (saved as Json)[k], p));
  }
  return out;
}

describe('editor open + save of ComfyUI files', () => {
  it('schema 1: keeps definitions, models, reroutes, floating links, groups, notes, string ids and unknown keys', () => {
    const original = fixture('schema-1.json');
    const saved = openAndSave(JSON.stringify(original));
    expect(missingKeys(original, saved)).toEqual([]);
    expect(saved.revision).toBe(12);
    expect(saved.definitions).toEqual(original.definitions);
    expect(saved.models).toEqual(original.models);
    expect(saved.customTopLevel).toEqual(original.customTopLevel);
    expect(saved.extra).toMatchObject({ customExtra: 'kept', frontendVersion: '1.21.7', ds: original.extra.ds });
    expect(saved.groups[0].customGroupKey).toEqual({ kept: true });
    expect(saved.floatingLinks).toEqual(original.floatingLinks);
    expect(saved.reroutes).toEqual(original.reroutes);
    const node = (id: unknown) => saved.nodes.find((n: Json) => n.id === id);
    expect(node(1).customNodeKey).toEqual([1, 2, 3]);
    expect(node(1).properties).toMatchObject({ 'Node name for S&R': 'disco/load-image', cnr_id: 'disco-nodes', params: { image: 'photo.png' } });
    expect(node('note-1')).toMatchObject({ type: 'Note', widgets_values: ['A note written in ComfyUI.'], color: '#432', bgcolor: '#653' });
    expect(node(4)).toMatchObject({ type: 'PreviewImage', inputs: [{ name: 'images', type: 'IMAGE', link: 3 }] });
  });

  it('schema 0.4: migrated to 1, keeping revision, models, floating links, group and extra keys', () => {
    const original = fixture('schema-0.4.json');
    const saved = openAndSave(JSON.stringify(original));
    expect(saved.version).toBe(1);
    expect(saved.revision).toBe(5);
    expect(saved.models).toEqual(original.models);
    expect(saved.customTopLevel).toBe('kept');
    expect(saved.floatingLinks).toEqual(original.floatingLinks);
    expect(saved.extra.customExtra).toEqual([1, 2]);
    expect(saved.groups[0]).toMatchObject({ title: 'Everything', customGroupKey: 7 });
    expect(saved.reroutes).toEqual([{ id: 1, pos: [340, 30], linkIds: [1], floating: { slotType: 'output' } }]);
    expect(saved.links[0]).toMatchObject({ id: 1, origin_id: 1, target_id: 2, parentId: 1 });
    // Every key of the file, except the ones schema 1 replaces (links as arrays, last_*_id, extra's 0.4 reroute tables).
    const replaced = /^(links\[\d+\]|last_node_id|last_link_id|extra\.(reroutes|linkExtensions)(\[.*)?|version)$/;
    expect(missingKeys(original, saved).filter((p) => !replaced.test(p))).toEqual([]);
    expect(saved.nodes.find((n: Json) => n.id === 3)).toMatchObject({ type: 'Note', color: '#432' });
  });

  it('merges nothing into another graph, and never brings back what litegraph owns', () => {
    const original = { id: 'a', revision: 3, nodes: [{ id: 1, type: 't', title: 'old', extraKey: 1 }], models: [1] };
    expect(mergeUncarried({ id: 'b', nodes: [] }, original)).toEqual({ id: 'b', nodes: [] });
    const saved = mergeUncarried({ id: 'a', revision: 0, nodes: [{ id: 1, type: 't' }] }, original);
    expect(saved).toEqual({ id: 'a', revision: 3, nodes: [{ id: 1, type: 't', extraKey: 1 }], models: [1] });
  });
});
