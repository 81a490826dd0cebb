/**
 * The `disco eval --oracle-anchors` variant of a workflow: anchor colours come from the ground truth.
 * The nodes that turn the (gray) input photo into SP-Pool's `ab` input type are copied, the copy of
 * Load Image is pointed at the original colour photo, the copy's ab output feeds every SP-Pool's
 * `ab` input (so TOKENS.pooledAb holds the true colours), and every Anchor Colors node switches to
 * mode 'reference-ab'. Built on the execution graph, then turned back into a workflow.
 */
import type { NodeDefLookup } from '../../runtime/workflow/params.ts';
import { isLinkRef, type ExecGraph, type ExecNode } from '../../runtime/workflow/exec-format.ts';
import { workflowFromExecGraph } from '../../runtime/workflow/from-exec.ts';
import { setParam } from '../../runtime/workflow/build.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';
import { toExecGraph } from '../../runtime/workflow/to-exec.ts';

export interface OracleVariant {
  readonly workflow: Workflow;
  /** The Load Image node that takes the gray photo (the colorizer's input). */
  readonly grayImageNode: string;
  /** The added Load Image node that takes the original colour photo. */
  readonly referenceImageNode: string;
}

const fail = (why: string): never => {
  throw new Error(`--oracle-anchors: ${why}`);
};

export function oracleVariant(wf: Workflow, registry: NodeDefLookup): OracleVariant {
  const { graph, missingTypes } = toExecGraph(wf, registry);
  if (missingTypes.length) fail(`the workflow uses node types that are not installed: ${missingTypes.join(', ')}`);
  const ofType = (type: string) => Object.keys(graph).filter((id) => graph[id].type === type);

  const loads = ofType('disco/load-image');
  if (loads.length !== 1) fail(`expected one Load Image node (disco/load-image) for the gray photo, found ${loads.length}`);
  const gray = loads[0];
  const pools = ofType('disco/sp-pool');
  if (!pools.length) fail('the workflow has no SP-Pool node (disco/sp-pool) to receive the true colours');
  const abPort = registry.get('disco/sp-pool')?.inputs.ab;
  if (!abPort) fail('this version\'s disco/sp-pool has no "ab" input');
  const colorNodes = ofType('disco/anchor-colors');
  if (!colorNodes.length) fail('the workflow has no Anchor Colors node (disco/anchor-colors) to switch to mode "reference-ab"');

  // The node nearest the photo that makes SP-Pool's ab type, outside what SP-Pool itself feeds.
  const children = childrenOf(graph);
  const downstreamOfPool = reach(pools, children);
  const fromPhoto = reach([gray], children);
  const abType = abPort!.type.name;
  const candidates: { id: string; slot: number; named: boolean }[] = [];
  for (const id of fromPhoto) {
    if (downstreamOfPool.has(id)) continue;
    const outs = Object.entries(registry.get(graph[id].type)!.outputs);
    const slots = outs.flatMap(([name, p], slot) => (p.type.name === abType ? [{ slot, named: /ab/i.test(name) }] : []));
    const pick = slots.find((s) => s.named) ?? slots[0];
    if (pick) candidates.push({ id, ...pick });
  }
  const source = candidates.find((c) => c.named) ?? candidates[0];
  if (!source) fail(`no node downstream of Load Image ${gray} makes ${abType}, the type of disco/sp-pool's "ab" input`);

  // Copy every node on a path from the photo to that node; links from outside stay as they are.
  const parents = parentsOf(graph);
  const onPath = [...reach([source!.id], parents)].filter((id) => fromPhoto.has(id));
  let next = Math.max(0, ...Object.keys(graph).map(Number).filter(Number.isInteger)) + 1;
  const copyId = new Map(onPath.map((id) => [id, String(next++)]));
  const edited: Record<string, ExecNode> = { ...graph };
  for (const id of onPath) {
    const inputs = Object.fromEntries(Object.entries(graph[id].inputs).map(([k, v]) =>
      [k, isLinkRef(v) && copyId.has(v[0]) ? [copyId.get(v[0])!, v[1]] : v]));
    edited[copyId.get(id)!] = { ...graph[id], inputs, title: `${graph[id].title ?? registry.get(graph[id].type)!.displayName} (ground truth)` };
  }
  for (const id of pools) edited[id] = { ...graph[id], inputs: { ...graph[id].inputs, ab: [copyId.get(source!.id)!, source!.slot] } };

  let out = workflowFromExecGraph(edited, registry);
  for (const id of colorNodes) out = setParam(out, id, 'mode', 'reference-ab', registry);
  return { workflow: { ...out, id: wf.id, extra: wf.extra }, grayImageNode: gray, referenceImageNode: copyId.get(gray)! };
}

function childrenOf(graph: ExecGraph): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [id, n] of Object.entries(graph)) {
    for (const v of Object.values(n.inputs)) if (isLinkRef(v)) m.set(v[0], [...(m.get(v[0]) ?? []), id]);
  }
  return m;
}

function parentsOf(graph: ExecGraph): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [id, n] of Object.entries(graph)) m.set(id, Object.values(n.inputs).filter(isLinkRef).map((v) => v[0]));
  return m;
}

/** The start nodes and everything reachable from them, in breadth-first order (nearest first). */
function reach(start: readonly string[], edges: Map<string, string[]>): Set<string> {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length) for (const next of edges.get(queue.shift()!) ?? []) if (!seen.has(next)) (seen.add(next), queue.push(next));
  return seen;
}
