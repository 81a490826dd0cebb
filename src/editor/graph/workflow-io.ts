/**
 * litegraph ⇄ workflow file. The editor's graph serialises (`asSerialisable`, schema 1) straight into
 * the file format the CLI reads: generated nodes write their params by name (see def-to-litegraph),
 * and here we stamp `extra.disco` and pass the result through the workflow module's loader, which
 * validates it and applies migrations. Loading goes the same way in reverse, then `configure`.
 * What litegraph does not carry (subgraph definitions, `models`, unknown keys) is merged back from
 * the workflow the graph was loaded from (workflow-merge.ts).
 */
import { LiteGraph, type LGraph, type LGraphNode } from '@comfyorg/litegraph';
import { APP_VERSION } from '../../runtime/workflow/build.ts';
import { loadWorkflow, loadWorkflowObject, serializeWorkflow } from '../../runtime/workflow/load.ts';
import { CURRENT_FORMAT_VERSION } from '../../runtime/workflow/migrate.ts';
import type { NodeDefLookup } from '../../runtime/workflow/params.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';
import { mergeUncarried } from './workflow-merge.ts';

/** The workflow each graph was last loaded from. */
const loadedFrom = new WeakMap<LGraph, Workflow>();

/** The graph as a workflow (a fresh, JSON-safe object). */
export function graphToWorkflow(graph: LGraph, registry: NodeDefLookup): Workflow {
  const raw = mergeUncarried(JSON.parse(JSON.stringify(graph.asSerialisable())), loadedFrom.get(graph)) as Record<string, any>;
  const extra = (raw.extra ??= {});
  extra.disco = { ...(extra.disco ?? {}), formatVersion: CURRENT_FORMAT_VERSION, appVersion: APP_VERSION };
  return loadWorkflowObject(raw, { registry }).workflow;
}

/** Replaces the graph's content with a workflow (already loaded or raw JSON text). */
export function loadIntoGraph(graph: LGraph, source: Workflow | string, registry: NodeDefLookup): { notes: readonly string[] } {
  const { workflow, notes } = typeof source === 'string' ? loadWorkflow(source, { registry }) : { workflow: source, notes: [] };
  graph.configure(structuredClone(workflow) as never);
  loadedFrom.set(graph, workflow);
  separateOverlaps(graph._nodes);
  return { notes };
}

/**
 * Moves nodes down that a node above them now covers: nodes from files written without the editor
 * grow on load (room for the thumbnail) and would hide the node under them. Nodes are taken top to
 * bottom, so a move pushes the nodes below it along.
 */
export function separateOverlaps(nodes: readonly LGraphNode[], gap = 20): void {
  const title = LiteGraph.NODE_TITLE_HEIGHT;
  const top = (n: LGraphNode) => n.pos[1] - title;
  const bottom = (n: LGraphNode) => n.pos[1] + n.size[1];
  const overlapX = (a: LGraphNode, b: LGraphNode) => a.pos[0] < b.pos[0] + b.size[0] && b.pos[0] < a.pos[0] + a.size[0];
  for (let pass = 0; pass < 10; pass++) {
    let moved = false;
    const sorted = [...nodes].sort((a, b) => top(a) - top(b) || a.pos[0] - b.pos[0]);
    sorted.forEach((n, i) => {
      for (const above of sorted.slice(0, i)) {
        if (top(above) <= top(n) && overlapX(above, n) && bottom(above) > top(n)) {
          n.pos[1] += bottom(above) + gap - top(n);
          moved = true;
        }
      }
    });
    if (!moved) return;
  }
}

export function workflowText(graph: LGraph, registry: NodeDefLookup): string {
  return serializeWorkflow(graphToWorkflow(graph, registry));
}
