/**
 * litegraph writes back only what it models. A file from ComfyUI or a newer Disco Nodes carries more:
 * subgraph `definitions` no node uses, a top-level `models` list, keys litegraph does not know at the
 * top level, in `extra`, on groups and on our nodes. `mergeUncarried` puts those back into what
 * litegraph saved, so open + save keeps every key of the file. Keys litegraph owns are never
 * restored (a removed title or colour stays removed), and only into the same graph (same id).
 */
type Json = Record<string, unknown>;

/** Top-level keys `LGraph.asSerialisable()` writes whenever it has them. */
const GRAPH_KEYS = new Set(['id', 'revision', 'version', 'config', 'state', 'groups', 'nodes', 'links', 'floatingLinks', 'reroutes', 'extra', 'definitions']);
/** Node keys litegraph writes, or leaves out on purpose (no title = the default title). */
const NODE_KEYS = new Set(['id', 'type', 'pos', 'size', 'flags', 'order', 'mode', 'inputs', 'outputs', 'title', 'properties', 'widgets_values', 'color', 'bgcolor', 'shape', 'showAdvanced']);
const GROUP_KEYS = new Set(['id', 'title', 'bounding', 'color', 'font_size', 'flags']);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies the keys of `from` that `to` lacks, except `owned` ones. */
function addMissing(to: Json, from: Json, owned: ReadonlySet<string> = new Set()): void {
  for (const [k, v] of Object.entries(from)) {
    if (!owned.has(k) && !Object.hasOwn(to, k)) to[k] = structuredClone(v);
  }
}

/** Merges into `saved` (modified and returned) what `original` had that litegraph did not write. */
export function mergeUncarried(saved: Json, original: Json | undefined): Json {
  if (!original || saved.id !== original.id) return saved;
  addMissing(saved, original, GRAPH_KEYS);
  // Subgraph definitions: litegraph writes the ones its nodes use; the others come back from the file.
  const defs = (original.definitions as { subgraphs?: Json[] } | undefined)?.subgraphs;
  if (Array.isArray(defs) && defs.length) {
    const mine = ((saved.definitions ??= { subgraphs: [] }) as { subgraphs?: Json[] });
    mine.subgraphs ??= [];
    const have = new Set(mine.subgraphs.map((s) => s?.id));
    for (const d of defs) if (isObject(d) && !have.has(d.id)) mine.subgraphs.push(structuredClone(d));
  }
  if (typeof original.revision === 'number' && !(typeof saved.revision === 'number' && saved.revision >= original.revision)) {
    saved.revision = original.revision;
  }
  if (isObject(original.extra)) addMissing((saved.extra ??= {}) as Json, original.extra);

  const originalNodes = new Map((Array.isArray(original.nodes) ? original.nodes : []).filter(isObject).map((n) => [String(n.id), n]));
  for (const node of Array.isArray(saved.nodes) ? saved.nodes : []) {
    const before = isObject(node) ? originalNodes.get(String(node.id)) : undefined;
    if (!before || before.type !== node.type) continue;
    addMissing(node, before, NODE_KEYS);
    if (isObject(before.properties) && isObject(node.properties)) addMissing(node.properties, before.properties);
  }
  const originalGroups = new Map((Array.isArray(original.groups) ? original.groups : []).filter(isObject).map((g) => [g.id, g]));
  for (const group of Array.isArray(saved.groups) ? saved.groups : []) {
    const before = isObject(group) && group.id !== undefined ? originalGroups.get(group.id) : undefined;
    if (before) addMissing(group, before, GROUP_KEYS);
  }
  return saved;
}
