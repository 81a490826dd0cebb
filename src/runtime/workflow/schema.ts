/**
 * The saved workflow: ComfyUI's workflow schema version 1 (what @comfyorg/litegraph 0.17.2
 * `LGraph.asSerialisable()` writes), plus our data under `extra.disco`. Every object is loose:
 * unknown keys are kept, so files written by newer versions or by ComfyUI survive a load/save.
 *
 * The schemas only validate. Loading keeps the parsed JSON object itself (not zod's output), so key
 * order and every unknown key are preserved exactly.
 */
import { z } from 'zod';
import '../zod-jitless.ts';
import { WorkflowFormatError } from './errors.ts';

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const vec2 = z.custom<[number, number]>(
  (v) => Array.isArray(v) && v.length === 2 && v.every(finite),
  { error: 'expected an array of 2 numbers' },
);
const vec4 = z.custom<[number, number, number, number]>(
  (v) => Array.isArray(v) && v.length === 4 && v.every(finite),
  { error: 'expected an array of 4 numbers' },
);
const int = (what = 'a whole number') => z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` });
const count = (what = 'a whole number >= 0') => int(what).min(0, { error: `expected ${what}` });
const text = (what = 'text') => z.string({ error: `expected ${what}` });

/** litegraph NodeId: a number, or a string when the graph uses uuids. */
export const zNodeId = z.union([int(), z.string().min(1)], { error: 'expected a node id (a whole number or text)' });
/** A slot's data type: our port type name (`IMAGE`), `*`, or a legacy numeric type. */
const zSlotType = z.union([z.string(), z.number()], { error: 'expected a type name' });

export const zInputSlot = z.looseObject({
  name: text('the input name'),
  type: zSlotType,
  link: count('a link id or null').nullable().optional(),
});

export const zOutputSlot = z.looseObject({
  name: text('the output name'),
  type: zSlotType,
  links: z.array(count('a link id'), { error: 'expected an array of link ids or null' }).nullable().optional(),
});

export const zNodeProperties = z.looseObject({
  /** Parameter values by name (Disco Nodes formatVersion >= 2). */
  params: z.record(z.string(), z.unknown(), { error: 'expected an object mapping parameter names to values' }).optional(),
  /** The NodeDef version that wrote the node, for per-node migrations. */
  nodeVersion: int().optional(),
});

export const zNode = z.looseObject({
  id: zNodeId,
  type: text('the node type').min(1, { error: 'expected a node type, got an empty string' }),
  pos: vec2,
  size: vec2,
  flags: z.looseObject({}, { error: 'expected an object' }),
  order: int(),
  mode: int('a node mode (0 always, 2 never, 4 bypass)'),
  inputs: z.array(zInputSlot, { error: 'expected an array of inputs' }).optional(),
  outputs: z.array(zOutputSlot, { error: 'expected an array of outputs' }).optional(),
  title: text().optional(),
  properties: zNodeProperties.optional(),
  /** Positional widget values (ComfyUI). Some custom nodes store an object here; tolerated. */
  widgets_values: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())], {
    error: 'expected an array of widget values',
  }).optional(),
});

export const zLink = z.looseObject({
  id: count('a link id'),
  origin_id: zNodeId,
  origin_slot: count('a slot index'),
  target_id: zNodeId,
  target_slot: count('a slot index'),
  type: zSlotType,
  parentId: count('a reroute id').optional(),
});

/**
 * A link with one end loose (ComfyUI/litegraph "floating links", kept for reroutes): the loose end's
 * node id and slot are -1.
 */
export const zFloatingLink = zLink.extend({
  origin_slot: int('a slot index or -1').min(-1, { error: 'expected a slot index or -1' }),
  target_slot: int('a slot index or -1').min(-1, { error: 'expected a slot index or -1' }),
});

export const zGroup = z.looseObject({
  id: count('a group id').optional(),
  title: text(),
  bounding: vec4,
});

export const zReroute = z.looseObject({ id: count('a reroute id'), pos: vec2 });

export const zModelRef = z.looseObject({
  /** Model set, e.g. `disco-imagenet`. */
  set: text('the model set name'),
  /** Stage within the set, e.g. `affinity`. */
  stage: text('the stage name'),
  file: text('the model file name'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a sha256 as 64 lowercase hex digits' }),
});

export const zDiscoExtra = z.looseObject({
  formatVersion: int('a whole number >= 1').min(1, { error: 'expected a whole number >= 1' }),
  appVersion: text().optional(),
  models: z.array(zModelRef, { error: 'expected an array of models' }).optional(),
});

export const zExtra = z.looseObject({ disco: zDiscoExtra.optional() });

export const zState = z.looseObject({
  lastNodeId: zNodeId,
  lastLinkId: count(),
  lastGroupId: count(),
  lastRerouteId: count(),
});

export const zWorkflow = z.looseObject({
  id: text('the graph id').optional(),
  revision: count().optional(),
  version: z.literal(1, { error: 'expected 1' }),
  config: z.looseObject({}, { error: 'expected an object' }).optional(),
  state: zState,
  groups: z.array(zGroup, { error: 'expected an array of groups' }).optional(),
  nodes: z.array(zNode, { error: 'expected an array of nodes' }),
  links: z.array(zLink, { error: 'expected an array of link objects' }).optional(),
  floatingLinks: z.array(zFloatingLink, { error: 'expected an array of link objects' }).optional(),
  reroutes: z.array(zReroute, { error: 'expected an array of reroutes' }).optional(),
  extra: zExtra.optional(),
}).superRefine((wf, ctx) => {
  const seen = new Map<string, number>();
  wf.nodes.forEach((n, i) => {
    const key = String(n.id);
    const first = seen.get(key);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `duplicate node id ${key} (also nodes[${first}])` });
    else seen.set(key, i);
  });
});

/** ComfyUI schema 0.4 (litegraph `serialize()`): links are tuples. Migrated to v1 on load. */
export const zLink04 = z.tuple([count('a link id'), zNodeId, count('a slot index'), zNodeId, count('a slot index'), zSlotType], {
  error: 'expected a link array [id, originId, originSlot, targetId, targetSlot, type]',
});

export const zWorkflow04 = z.looseObject({
  last_node_id: zNodeId,
  last_link_id: count(),
  nodes: z.array(zNode, { error: 'expected an array of nodes' }),
  links: z.array(zLink04, { error: 'expected an array of link arrays' }),
  groups: z.array(zGroup, { error: 'expected an array of groups' }).optional(),
  config: z.looseObject({}, { error: 'expected an object' }).optional(),
  extra: zExtra.optional(),
  version: z.number({ error: 'expected a number' }),
});

export type Workflow = z.infer<typeof zWorkflow>;
export type WorkflowNode = z.infer<typeof zNode>;
export type WorkflowLink = z.infer<typeof zLink>;
export type WorkflowGroup = z.infer<typeof zGroup>;
export type DiscoExtra = z.infer<typeof zDiscoExtra>;
export type DiscoModelRef = z.infer<typeof zModelRef>;
export type Workflow04 = z.infer<typeof zWorkflow04>;

/** `['nodes', 3, 'pos']` -> `nodes[3].pos`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

const MAX_SHOWN = 5;

/** Validates `raw` against `schema` and returns it unchanged (same object, same key order), or throws. */
export function validate<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return raw as z.infer<S>;
  const problems = r.error.issues.map((i) => `${formatPath(i.path)}: ${i.message.replace(/^Invalid input: /, '')}`);
  const more = problems.length > MAX_SHOWN ? ` (and ${problems.length - MAX_SHOWN} more)` : '';
  throw new WorkflowFormatError(`${what}: ${problems.slice(0, MAX_SHOWN).join('; ')}${more}`, problems);
}
