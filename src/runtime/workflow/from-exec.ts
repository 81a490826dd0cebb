/**
 * Execution graph -> workflow, for a PNG that carries only a `prompt`. Accepts our ExecGraph and
 * ComfyUI's API format (`class_type`, `_meta.title`). Layout is generated; node ids are kept when they
 * are whole numbers, else renumbered in order.
 */
import { z } from 'zod';
import '../zod-jitless.ts';
import { WorkflowFormatError } from './errors.ts';
import { buildWorkflow, type WorkflowSpecLink, type WorkflowSpecNode } from './build.ts';
import type { NodeMode } from './exec-format.ts';
import { isLinkRef, nodeOf, type ExecGraph } from './exec-format.ts';
import type { NodeDefLookup } from './params.ts';
import { validate, type Workflow } from './schema.ts';

const zExecNode = z.looseObject({
  type: z.string().min(1).optional(),
  class_type: z.string().min(1).optional(),
  inputs: z.record(z.string(), z.unknown(), { error: 'expected an object of inputs' }),
  mode: z.enum(['always', 'bypass', 'mute'], { error: 'expected always, bypass or mute' }).optional(),
  title: z.string().optional(),
  _meta: z.looseObject({ title: z.string().optional() }).optional(),
}).refine((n) => n.type ?? n.class_type, { error: 'expected "type" (or ComfyUI "class_type")' });

const zExecGraph = z.record(z.string(), zExecNode, { error: 'expected an object mapping node ids to nodes' });

export function workflowFromExecGraph(raw: unknown, registry: NodeDefLookup): Workflow {
  const graph = validate(zExecGraph, raw, 'prompt');
  const ids = Object.keys(graph);
  const numeric = ids.every((id) => /^[1-9][0-9]*$/.test(id) && Number(id) <= Number.MAX_SAFE_INTEGER);
  const newId = new Map(ids.map((id, i) => [id, numeric ? Number(id) : i + 1]));

  const missing = [...new Set(ids.map((id) => graph[id]!.type ?? graph[id]!.class_type!).filter((t) => !registry.get(t)))];
  if (missing.length) {
    throw new WorkflowFormatError(`the prompt uses node types that are not installed (${missing.join(', ')}); cannot rebuild a workflow from it`);
  }

  const nodes: WorkflowSpecNode[] = [];
  const links: WorkflowSpecLink[] = [];
  for (const id of ids) {
    const n = graph[id]!;
    const type = (n.type ?? n.class_type)!;
    const def = registry.get(type)!;
    const params: Record<string, unknown> = Object.create(null);
    for (const [name, value] of Object.entries(n.inputs)) {
      if (Object.hasOwn(def.params, name)) params[name] = value;
      else if (Object.hasOwn(def.inputs, name)) {
        if (!isLinkRef(value) && !(Array.isArray(value) && value.length === 2 && Number.isInteger(value[1]))) {
          throw new WorkflowFormatError(`prompt.${id}.inputs.${name}: expected a link [sourceId, outputSlot]`);
        }
        const [src, slot] = value as [string | number, number];
        const source = nodeOf(graph as unknown as ExecGraph, String(src)) as (typeof graph)[string] | undefined;
        if (!source) throw new WorkflowFormatError(`prompt.${id}.inputs.${name}: links to node ${src}, which is not in the prompt`);
        const srcDef = registry.get((source.type ?? source.class_type)!)!;
        const outName = Object.keys(srcDef.outputs)[slot];
        if (outName === undefined) throw new WorkflowFormatError(`prompt.${id}.inputs.${name}: ${srcDef.id} has no output slot ${slot}`);
        links.push([newId.get(String(src))!, outName, newId.get(id)!, name]);
      } else throw new WorkflowFormatError(`prompt.${id}.inputs.${name}: ${type} has no input or parameter "${name}"`);
    }
    const title = n.title ?? n._meta?.title;
    nodes.push({
      id: newId.get(id)!,
      type,
      params,
      ...(title !== undefined && title !== def.displayName ? { title } : {}),
      ...(n.mode ? { mode: n.mode as NodeMode } : {}),
    });
  }
  try {
    return buildWorkflow({ nodes, links }, registry);
  } catch (e) {
    throw new WorkflowFormatError(`prompt: ${(e as Error).message}`);
  }
}
