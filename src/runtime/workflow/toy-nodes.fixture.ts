/** Three toy NodeDefs and a registry over them, for the workflow tests only. */
import { choice, defineNode, float, int, json, str, type NodeDef } from '../engine/node-def.ts';
import { GRAY, IMAGE } from '../values/value-types.ts';
import { buildWorkflow } from './build.ts';
import type { NodeDefLookup } from './params.ts';
import type { Workflow } from './schema.ts';

export const toySource = defineNode({
  id: 'toy/source', version: 1, displayName: 'Toy Source', category: 'toy', description: 'makes an image',
  inputs: {},
  params: { size: int({ default: 8, min: 1, max: 64 }), label: str({ default: 'a' }) },
  outputs: { image: { type: IMAGE } },
  execute: () => ({ image: null as never }), // never run
});

export const toyBlur = defineNode({
  id: 'toy/blur', version: 2, displayName: 'Toy Blur', category: 'toy', description: 'blurs',
  inputs: { image: { type: IMAGE } },
  params: { radius: float({ default: 1, min: 0, max: 10 }), kind: choice({ default: 'box', options: ['box', 'gauss'] }) },
  outputs: { image: { type: IMAGE }, gray: { type: GRAY } },
  execute: () => ({ image: null as never, gray: null as never }), // never run
});

export const toySink = defineNode({
  id: 'toy/sink', version: 1, displayName: 'Toy Sink', category: 'toy', description: 'keeps',
  inputs: { image: { type: IMAGE }, gray: { type: GRAY, optional: true } },
  params: { points: json({ default: [] }) },
  outputs: {},
  isOutput: true,
  execute: () => ({}),
});

export function toyRegistry(defs: NodeDef[] = [toySource, toyBlur, toySink]): NodeDefLookup {
  const byId = new Map(defs.map((d) => [d.id, d]));
  return { get: (id) => byId.get(id) };
}

/** source -> blur (bypassed, titled) -> sink, with non-ASCII text and a json param. */
export function sampleWorkflow(): Workflow {
  return buildWorkflow({
    id: '00000000-0000-4000-8000-000000000001',
    nodes: [
      { id: 1, type: 'toy/source', params: { size: 16, label: 'ü — 日本' } },
      { id: 2, type: 'toy/blur', params: { radius: 2.5 }, title: 'Blur it', mode: 'bypass' },
      { id: 3, type: 'toy/sink', params: { points: [{ x: 0.5, y: 0.25 }] } },
    ],
    links: [[1, 'image', 2, 'image'], [2, 'image', 3, 'image'], [2, 'gray', 3, 'gray']],
  }, toyRegistry());
}
