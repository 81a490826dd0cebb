/**
 * Migrations applied on load:
 *  1. ComfyUI schema 0.4 (links as arrays, `last_node_id`) -> schema 1 (link objects, `state`).
 *  2. Our format chain keyed by `extra.disco.formatVersion`, one step at a time up to
 *     CURRENT_FORMAT_VERSION. A file without `extra.disco` (plain ComfyUI/litegraph output) counts as
 *     formatVersion 1. A newer formatVersion than ours is refused: guessing would lose data.
 * Migrations return new objects and never touch nodes whose type is not installed.
 */
import { WorkflowFormatError } from './errors.ts';
import { resolveParams, type NodeDefLookup } from './params.ts';
import type { Workflow, Workflow04, WorkflowLink } from './schema.ts';

export const CURRENT_FORMAT_VERSION = 2;

export interface MigrationContext {
  readonly registry: NodeDefLookup;
}

interface FormatMigration {
  readonly from: number;
  /** What the step did, for load notes. */
  readonly describe: string;
  apply(wf: Workflow, ctx: MigrationContext): Workflow;
}

type Json = Record<string, unknown>;

/** formatVersion 1 kept parameters only positionally in widgets_values; 2 stores them by name. */
function paramsByName(wf: Workflow, ctx: MigrationContext): Workflow {
  const nodes = wf.nodes.map((node) => {
    const def = ctx.registry.get(node.type);
    if (!def || node.properties?.params) return node;
    const { params, defaulted } = resolveParams(node, def);
    for (const name of defaulted) delete params[name];
    return { ...node, properties: { ...node.properties, params } };
  });
  return { ...wf, nodes };
}

const MIGRATIONS: readonly FormatMigration[] = [
  { from: 1, describe: 'parameters copied from widgets_values into properties.params by name', apply: paramsByName },
];

export function formatVersionOf(wf: Workflow): number {
  return wf.extra?.disco?.formatVersion ?? 1;
}

function withFormatVersion(wf: Workflow, formatVersion: number): Workflow {
  const extra = wf.extra ?? {};
  return { ...wf, extra: { ...extra, disco: { ...extra.disco, formatVersion } } };
}

/** Brings a schema-1 workflow to CURRENT_FORMAT_VERSION; `notes` says which steps ran. */
export function migrateFormat(wf: Workflow, ctx: MigrationContext): { workflow: Workflow; notes: string[] } {
  const start = formatVersionOf(wf);
  if (start > CURRENT_FORMAT_VERSION) {
    throw new WorkflowFormatError(
      `extra.disco.formatVersion is ${start}, but this version of Disco Nodes reads formatVersion ${CURRENT_FORMAT_VERSION} at most; ` +
        'open it with a newer Disco Nodes',
    );
  }
  const notes: string[] = [];
  let out = wf;
  for (let v = start; v < CURRENT_FORMAT_VERSION; v++) {
    const step = MIGRATIONS.find((m) => m.from === v);
    if (!step) throw new Error(`no migration from formatVersion ${v} (internal error)`);
    out = withFormatVersion(step.apply(out, ctx), v + 1);
    notes.push(`formatVersion ${v} -> ${v + 1}: ${step.describe}`);
  }
  return { workflow: out, notes };
}

/**
 * Older ComfyUI files saved `pos`/`size` from Float32Arrays as objects `{"0": x, "1": y}`. Returns a
 * copy of a raw 0.4 file with those turned into arrays (the ComfyUI frontend accepts both), or `raw`.
 */
export function normalizeComfyVectors(raw: Json): Json {
  if (!Array.isArray(raw.nodes)) return raw;
  const asPair = (v: unknown): unknown => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const o = v as Json;
    return typeof o[0] === 'number' && typeof o[1] === 'number' && Object.keys(o).length === 2 ? [o[0], o[1]] : v;
  };
  let changed = false;
  const nodes = raw.nodes.map((n: unknown) => {
    if (typeof n !== 'object' || n === null) return n;
    const node = n as Json;
    const pos = asPair(node.pos);
    const size = asPair(node.size);
    if (pos === node.pos && size === node.size) return n;
    changed = true;
    return { ...node, pos, size };
  });
  return changed ? { ...raw, nodes } : raw;
}

/**
 * ComfyUI schema 0.4 -> 1, with the key order `asSerialisable()` writes. Unknown top-level keys are
 * kept after the known ones. Reroutes that 0.4 kept in `extra.reroutes`/`extra.linkExtensions` move to
 * the top-level `reroutes` and each link's `parentId`, as litegraph does when it configures a graph.
 */
export function migrateComfy04(old: Workflow04, newId: () => string): Workflow {
  const { last_node_id, last_link_id, nodes, links, groups, config, extra, version: _v, ...rest } = old;
  const { reroutes, linkExtensions, ...otherExtra } = (extra ?? {}) as Json;
  const parentOf = new Map<number, number>();
  if (Array.isArray(linkExtensions)) {
    for (const e of linkExtensions as Json[]) if (typeof e?.id === 'number' && typeof e.parentId === 'number') parentOf.set(e.id, e.parentId);
  }
  const linkObjects: WorkflowLink[] = links.map(([id, origin_id, origin_slot, target_id, target_slot, type]) => {
    const parentId = parentOf.get(id);
    return { id, origin_id, origin_slot, target_id, target_slot, type, ...(parentId !== undefined ? { parentId } : {}) };
  });
  let nextGroupId = Math.max(0, ...(groups ?? []).map((g) => g.id ?? 0)) + 1;
  const groupsV1 = (groups ?? []).map((g) => (g.id === undefined ? { id: nextGroupId++, ...g } : g));
  const rerouteList = Array.isArray(reroutes) ? (reroutes as Workflow['reroutes']) : undefined;
  const wf: Workflow = {
    id: typeof rest.id === 'string' ? rest.id : newId(),
    revision: typeof rest.revision === 'number' && Number.isInteger(rest.revision) && rest.revision >= 0 ? rest.revision : 0,
    version: 1,
    config: config ?? {},
    state: {
      lastNodeId: last_node_id,
      lastLinkId: last_link_id,
      lastGroupId: nextGroupId - 1,
      lastRerouteId: Math.max(0, ...(rerouteList ?? []).map((r) => r.id)),
    },
    groups: groupsV1,
    nodes,
    links: linkObjects,
    ...(rerouteList ? { reroutes: rerouteList } : {}),
    extra: otherExtra,
  };
  for (const [k, v] of Object.entries(rest)) if (!(k in wf)) (wf as Json)[k] = v;
  return wf;
}
