/**
 * Graph walking shared by the validator and the executor: node labels for messages, the links a node
 * reads, default run targets, ancestor sets and topological order.
 */
import { isLinkRef, nodeOf, type ExecGraph, type ExecNode, type LinkRef } from '../workflow/exec-format.ts';
import type { NodeDef, Params } from './node-def.ts';
import type { NodeRegistry } from './registry.ts';

/** `node 7 (disco/anchor-locator)`, or `node 7 "Find anchors" (disco/anchor-locator)` when titled. */
export function nodeLabel(id: string, node: ExecNode | undefined): string {
  if (!node) return `node ${id}`;
  return node.title ? `node ${id} ${JSON.stringify(node.title)} (${node.type})` : `node ${id} (${node.type})`;
}

/**
 * The links a node reads, as [input name, link]. With a known def only its declared inputs count;
 * otherwise every link-shaped value does (so planning still finds ancestors of unknown types).
 */
export function linksOf(node: ExecNode, def: NodeDef | undefined): [string, LinkRef][] {
  const names = def ? Object.keys(def.inputs) : Object.keys(node.inputs);
  const out: [string, LinkRef][] = [];
  for (const name of names) {
    const v = node.inputs[name];
    if (isLinkRef(v)) out.push([name, v]);
  }
  return out;
}

/** Parameter values with NodeDef defaults filled in for the ones the node leaves out. */
export function resolveParams(def: NodeDef, node: ExecNode): Params {
  const params: Params = {};
  for (const [name, spec] of Object.entries(def.params)) {
    params[name] = node.inputs[name] !== undefined ? node.inputs[name] : spec.default;
  }
  return params;
}

/** Output nodes (def.isOutput) if the graph has any, else every node whose outputs nobody reads. */
export function defaultTargets(graph: ExecGraph, registry: NodeRegistry): string[] {
  const ids = Object.keys(graph);
  const outputs = ids.filter((id) => registry.get(graph[id].type)?.isOutput);
  if (outputs.length) return outputs;
  const read = new Set<string>();
  for (const id of ids) for (const [, [src]] of linksOf(graph[id], registry.get(graph[id].type))) read.add(src);
  return ids.filter((id) => !read.has(id));
}

/** The targets and everything they read from, directly or not (links to missing nodes are ignored). */
export function ancestors(graph: ExecGraph, registry: NodeRegistry, targets: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...targets];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id) || !nodeOf(graph, id)) continue;
    seen.add(id);
    for (const [, [src]] of linksOf(graph[id], registry.get(graph[id].type))) stack.push(src);
  }
  return seen;
}

/**
 * Kahn's order over `ids` (ties broken by graph key order, so runs are deterministic).
 * Returns undefined when the subgraph has a cycle.
 */
export function topoOrder(graph: ExecGraph, registry: NodeRegistry, ids: ReadonlySet<string>): string[] | undefined {
  const indeg = new Map<string, number>();
  const users = new Map<string, string[]>();
  for (const id of ids) indeg.set(id, 0);
  for (const id of ids) {
    for (const [, [src]] of linksOf(graph[id], registry.get(graph[id].type))) {
      if (!ids.has(src)) continue;
      indeg.set(id, indeg.get(id)! + 1);
      users.set(src, [...(users.get(src) ?? []), id]);
    }
  }
  const rank = new Map(Object.keys(graph).map((id, i) => [id, i]));
  const ready = [...ids].filter((id) => indeg.get(id) === 0);
  const order: string[] = [];
  while (ready.length) {
    ready.sort((a, b) => rank.get(a)! - rank.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const u of users.get(id) ?? []) {
      const n = indeg.get(u)! - 1;
      indeg.set(u, n);
      if (n === 0) ready.push(u);
    }
  }
  return order.length === ids.size ? order : undefined;
}
