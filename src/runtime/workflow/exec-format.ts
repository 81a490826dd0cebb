/**
 * The execution format: what the executor and the cache consume. It is derived from a saved
 * workflow (never edited by hand) and has ComfyUI's API-format shape:
 *   { "5": { type: "disco/sp-pool", inputs: { cell: 16, features: ["3", 0], affinity: ["4", 0] } } }
 * For a node, names declared as inputs of its NodeDef hold links `[sourceNodeId, outputSlot]`;
 * names declared as params hold plain values. The NodeDef decides which is which.
 */
export type LinkRef = readonly [sourceId: string, outputSlot: number];

/** always: run normally; bypass: pass inputs through to outputs of the same type; mute: never run. */
export type NodeMode = 'always' | 'bypass' | 'mute';

export interface ExecNode {
  readonly type: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly mode?: NodeMode;
  /** The node's title in the editor, for messages. */
  readonly title?: string;
}

export type ExecGraph = Readonly<Record<string, ExecNode>>;

/**
 * The node `id` of `graph`, only if it is the graph's own: ids come from files, and `graph["toString"]`
 * or `graph["__proto__"]` must not find Object.prototype's members.
 */
export function nodeOf(graph: ExecGraph, id: string): ExecNode | undefined {
  return Object.hasOwn(graph, id) ? graph[id] : undefined;
}

export function isLinkRef(v: unknown): v is LinkRef {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && Number.isInteger(v[1]);
}
