/**
 * Reading a run's values by node: the image a node's preview shows, its first output of a port type,
 * and the inputs a node saw (for output nodes, whose preview is their input).
 */
import type { NodeDef, Values } from '../../runtime/engine/node-def.ts';
import type { NodeRegistry } from '../../runtime/engine/registry.ts';
import type { ImageValue } from '../../runtime/values/types.ts';
import { isLinkRef, nodeOf, type ExecGraph } from '../../runtime/workflow/exec-format.ts';

/** The image a node's thumbnail shows: its first IMAGE output, or for output nodes its first IMAGE input. */
export function previewImage(def: NodeDef, inputs: Values, outputs: Values): ImageValue | undefined {
  const out = firstOutput(def, outputs, 'IMAGE');
  if (out) return out as ImageValue;
  if (!def.isOutput) return undefined;
  const inp = Object.entries(def.inputs).find(([, p]) => p.type.name === 'IMAGE');
  return inp ? (inputs[inp[0]] as ImageValue | undefined) : undefined;
}

/** The value of a node's first output of port type `type`, if it has one. */
export function firstOutput(def: NodeDef, outputs: Values, type: string): unknown {
  const out = Object.entries(def.outputs).find(([, p]) => p.type.name === type);
  return out ? outputs[out[0]] : undefined;
}

/** The values linked into node `id`'s inputs, by input name. */
export function inputsOf(graph: ExecGraph, id: string, def: NodeDef, values: ReadonlyMap<string, Values>, registry: NodeRegistry): Values {
  const inputs: Values = {};
  for (const name of Object.keys(def.inputs)) {
    const v = graph[id].inputs[name];
    if (!isLinkRef(v)) continue;
    const src = nodeOf(graph, v[0]);
    const srcDef = src && registry.get(src.type);
    if (srcDef) inputs[name] = values.get(v[0])?.[Object.keys(srcDef.outputs)[v[1]]];
  }
  return inputs;
}
