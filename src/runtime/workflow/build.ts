/**
 * Authoring workflows without litegraph (CLI, tests, example files): a compact spec becomes a full
 * schema-1 workflow with ports, typed links, state counters, sizes, a layout in lanes (layout.ts)
 * and `extra.disco`. Also `setParam` for `disco run --set`.
 */
import { checkParam, type NodeDef, type Params } from '../engine/node-def.ts';
import type { NodeMode } from './exec-format.ts';
import { nodeSize, placeLanes, type Lane } from './layout.ts';
import { CURRENT_FORMAT_VERSION } from './migrate.ts';
import { resolveParams, widgetsValuesOf, type NodeDefLookup } from './params.ts';
import type { DiscoModelRef, Workflow, WorkflowLink, WorkflowNode } from './schema.ts';
import { LITEGRAPH_MODE } from './to-exec.ts';

/** Written to `extra.disco.appVersion`; a test keeps it equal to package.json's version. */
export const APP_VERSION = '0.1.0';

export interface WorkflowSpecNode {
  /** litegraph node id: a whole number >= 1, unique in the spec. */
  readonly id: number;
  readonly type: string;
  /** By name; missing ones take the NodeDef default. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** Default: from the spec's lanes (or a column per depth in the graph). */
  readonly pos?: readonly [number, number];
  readonly title?: string;
  readonly mode?: NodeMode;
}

export type WorkflowSpecLink = readonly [fromId: number, fromOutput: string, toId: number, toInput: string];

export interface WorkflowSpec {
  readonly nodes: readonly WorkflowSpecNode[];
  readonly links?: readonly WorkflowSpecLink[];
  readonly models?: readonly DiscoModelRef[];
  /**
   * Columns, left to right, each listing its nodes top to bottom; a titled lane is drawn as a group
   * (e.g. one per DISCO stage). Each node in exactly one lane. Default: a lane per dependency depth.
   */
  readonly lanes?: readonly Lane[];
  /** Graph uuid. Default: crypto.randomUUID(). */
  readonly id?: string;
  readonly appVersion?: string;
}

export function buildWorkflow(spec: WorkflowSpec, registry: NodeDefLookup): Workflow {
  const defs = new Map<number, NodeDef>();
  for (const n of spec.nodes) {
    if (!Number.isInteger(n.id) || n.id < 1) throw new Error(`node id ${JSON.stringify(n.id)} must be a whole number >= 1`);
    if (defs.has(n.id)) throw new Error(`node id ${n.id} is used twice`);
    const def = registry.get(n.type);
    if (!def) throw new Error(`node ${n.id}: unknown node type "${n.type}"`);
    defs.set(n.id, def);
  }

  // Resolve each link to slots and check types; inputs take one link each.
  const links: WorkflowLink[] = [];
  const inputLink = new Map<string, number>(); // `${toId}/${input}` -> link id
  const outputLinks = new Map<string, number[]>(); // `${fromId}/${slot}` -> link ids
  for (const [i, [fromId, outName, toId, inName]] of (spec.links ?? []).entries()) {
    const where = `links[${i}] (${fromId}.${outName} -> ${toId}.${inName})`;
    const from = defs.get(fromId);
    const to = defs.get(toId);
    if (!from) throw new Error(`${where}: no node ${fromId}`);
    if (!to) throw new Error(`${where}: no node ${toId}`);
    const outSlot = Object.keys(from.outputs).indexOf(outName);
    const inSlot = Object.keys(to.inputs).indexOf(inName);
    if (outSlot < 0) throw new Error(`${where}: ${from.id} has no output "${outName}" (outputs: ${Object.keys(from.outputs).join(', ') || 'none'})`);
    if (inSlot < 0) throw new Error(`${where}: ${to.id} has no input "${inName}" (inputs: ${Object.keys(to.inputs).join(', ') || 'none'})`);
    const type = from.outputs[outName]!.type.name;
    if (type !== to.inputs[inName]!.type.name) throw new Error(`${where}: cannot connect ${type} to ${to.inputs[inName]!.type.name}`);
    if (inputLink.has(`${toId}/${inName}`)) throw new Error(`${where}: input "${inName}" of node ${toId} is already linked`);
    const id = links.length + 1;
    links.push({ id, origin_id: fromId, origin_slot: outSlot, target_id: toId, target_slot: inSlot, type });
    inputLink.set(`${toId}/${inName}`, id);
    const key = `${fromId}/${outSlot}`;
    outputLinks.set(key, [...(outputLinks.get(key) ?? []), id]);
  }

  const { order, depth } = topoOrder(spec.nodes.map((n) => n.id), links);
  const sizes = new Map(spec.nodes.map((n) => [n.id, nodeSize(defs.get(n.id)!, n.title)]));
  const placed = placeLanes(spec.lanes ? checkedLanes(spec) : lanesByDepth(spec, depth), sizes);

  const nodes: WorkflowNode[] = spec.nodes.map((n) => {
    const def = defs.get(n.id)!;
    const params = checkedParams(n, def);
    return {
      id: n.id,
      type: n.type,
      pos: n.pos ? [n.pos[0], n.pos[1]] : placed.pos.get(n.id)!,
      size: placed.size.get(n.id)!,
      flags: {},
      order: order.get(n.id)!,
      mode: LITEGRAPH_MODE[n.mode ?? 'always'],
      inputs: Object.entries(def.inputs).map(([name, p]) => ({ name, type: p.type.name, link: inputLink.get(`${n.id}/${name}`) ?? null })),
      outputs: Object.entries(def.outputs).map(([name, p], slot) => ({ name, type: p.type.name, links: outputLinks.get(`${n.id}/${slot}`) ?? [] })),
      ...(n.title !== undefined ? { title: n.title } : {}),
      properties: { nodeVersion: def.version, params },
      widgets_values: widgetsValuesOf(def, params),
    };
  });

  return {
    id: spec.id ?? crypto.randomUUID(),
    revision: 0,
    version: 1,
    config: {},
    state: { lastNodeId: Math.max(0, ...spec.nodes.map((n) => n.id)), lastLinkId: links.length, lastGroupId: placed.groups.length, lastRerouteId: 0 },
    groups: placed.groups.map((g, i) => ({ id: i + 1, ...g, flags: {} })),
    nodes,
    links,
    extra: {
      disco: { formatVersion: CURRENT_FORMAT_VERSION, appVersion: spec.appVersion ?? APP_VERSION, models: [...(spec.models ?? [])] },
    },
  };
}

/** The spec's lanes, checked: known node ids, each node in exactly one lane. */
function checkedLanes(spec: WorkflowSpec): readonly Lane[] {
  const ids = new Set(spec.nodes.map((n) => n.id));
  const seen = new Map<number, number>();
  spec.lanes!.forEach((lane, i) => {
    if (!lane.nodes.length) throw new Error(`lanes[${i}] has no nodes`);
    for (const id of lane.nodes) {
      if (!ids.has(id)) throw new Error(`lanes[${i}]: no node ${id}`);
      if (seen.has(id)) throw new Error(`lanes[${i}]: node ${id} is already in lanes[${seen.get(id)}]`);
      seen.set(id, i);
    }
  });
  const missing = [...ids].filter((id) => !seen.has(id));
  if (missing.length) throw new Error(`nodes ${missing.join(', ')} are in no lane`);
  return spec.lanes!;
}

/** A lane per dependency depth, nodes in spec order. */
function lanesByDepth(spec: WorkflowSpec, depth: ReadonlyMap<number, number>): Lane[] {
  const lanes: { nodes: number[] }[] = [];
  for (const n of spec.nodes) (lanes[depth.get(n.id)!] ??= { nodes: [] }).nodes.push(n.id);
  return lanes.filter(Boolean);
}

function checkedParams(n: WorkflowSpecNode, def: NodeDef): Params {
  const given = n.params ?? {};
  for (const name of Object.keys(given)) {
    if (!(name in def.params)) throw new Error(`node ${n.id} (${def.id}): unknown parameter "${name}" (parameters: ${Object.keys(def.params).join(', ') || 'none'})`);
  }
  const params: Params = {};
  for (const [name, spec] of Object.entries(def.params)) {
    const value = Object.prototype.hasOwnProperty.call(given, name) ? given[name] : spec.default;
    const err = checkParam(spec, value);
    if (err) throw new Error(`node ${n.id} (${def.id}): parameter "${name}" ${err}`);
    params[name] = value;
  }
  return params;
}

/** Kahn's algorithm in spec order; depth = longest path from a source. Refuses cycles. */
function topoOrder(ids: number[], links: WorkflowLink[]): { order: Map<number, number>; depth: Map<number, number> } {
  const indegree = new Map(ids.map((id) => [id, 0]));
  const next = new Map<number, number[]>(ids.map((id) => [id, []]));
  for (const l of links) {
    indegree.set(l.target_id as number, indegree.get(l.target_id as number)! + 1);
    next.get(l.origin_id as number)!.push(l.target_id as number);
  }
  const depth = new Map(ids.map((id) => [id, 0]));
  const order = new Map<number, number>();
  const ready = ids.filter((id) => indegree.get(id) === 0);
  while (ready.length) {
    const id = ready.shift()!;
    order.set(id, order.size);
    for (const t of next.get(id)!) {
      depth.set(t, Math.max(depth.get(t)!, depth.get(id)! + 1));
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) ready.push(t);
    }
  }
  if (order.size < ids.length) {
    throw new Error(`links form a cycle through nodes ${ids.filter((id) => !order.has(id)).join(', ')}`);
  }
  return { order, depth };
}

/**
 * Returns a new workflow with one parameter changed, by name and in widgets_values. The value is
 * checked against the NodeDef. A node saved without a by-name map gets a complete one.
 */
export function setParam(wf: Workflow, nodeId: number | string, name: string, value: unknown, registry: NodeDefLookup): Workflow {
  const index = wf.nodes.findIndex((n) => String(n.id) === String(nodeId));
  if (index < 0) throw new Error(`no node ${nodeId} in the workflow`);
  const node = wf.nodes[index]!;
  const def = registry.get(node.type);
  if (!def) throw new Error(`node ${nodeId} has type ${node.type}, which is not installed; its parameters cannot be set`);
  const spec = def.params[name];
  if (!spec) throw new Error(`node ${nodeId} (${def.id}) has no parameter "${name}" (parameters: ${Object.keys(def.params).join(', ') || 'none'})`);
  const err = checkParam(spec, value);
  if (err) throw new Error(`node ${nodeId} (${def.id}): parameter "${name}" ${err}`);

  const copy = structuredClone(node);
  const params = copy.properties?.params ?? resolveParams(node, def).params;
  params[name] = value;
  copy.properties = { ...copy.properties, params };
  const slot = Object.keys(def.params).indexOf(name);
  if (Array.isArray(copy.widgets_values)) {
    while (copy.widgets_values.length < slot) copy.widgets_values.push(null);
    copy.widgets_values[slot] = value;
  } else {
    copy.widgets_values = widgetsValuesOf(def, resolveParams(copy, def).params);
  }
  const nodes = wf.nodes.slice();
  nodes[index] = copy;
  return { ...wf, nodes };
}
