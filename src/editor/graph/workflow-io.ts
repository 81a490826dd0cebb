/**
 * litegraph ⇄ workflow file. The editor's graph serialises (`asSerialisable`, schema 1) straight into
 * the file format the CLI reads: generated nodes write their params by name (see def-to-litegraph),
 * and here we stamp `extra.disco` and pass the result through the workflow module's loader, which
 * validates it and applies migrations. Loading goes the same way in reverse, then `configure`.
 */
import type { LGraph } from '@comfyorg/litegraph';
import { APP_VERSION } from '../../runtime/workflow/build.ts';
import { loadWorkflow, loadWorkflowObject, serializeWorkflow } from '../../runtime/workflow/load.ts';
import { CURRENT_FORMAT_VERSION } from '../../runtime/workflow/migrate.ts';
import type { NodeDefLookup } from '../../runtime/workflow/params.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';
import { toExecGraph, type ToExecResult } from '../../runtime/workflow/to-exec.ts';

/** The graph as a workflow (a fresh, JSON-safe object). */
export function graphToWorkflow(graph: LGraph, registry: NodeDefLookup): Workflow {
  const raw = JSON.parse(JSON.stringify(graph.asSerialisable())) as Record<string, any>;
  const extra = (raw.extra ??= {});
  extra.disco = { ...(extra.disco ?? {}), formatVersion: CURRENT_FORMAT_VERSION, appVersion: APP_VERSION };
  return loadWorkflowObject(raw, { registry }).workflow;
}

/** Replaces the graph's content with a workflow (already loaded or raw JSON text). */
export function loadIntoGraph(graph: LGraph, source: Workflow | string, registry: NodeDefLookup): { notes: readonly string[] } {
  const { workflow, notes } = typeof source === 'string' ? loadWorkflow(source, { registry }) : { workflow: source, notes: [] };
  graph.configure(structuredClone(workflow) as never);
  return { notes };
}

export function workflowText(graph: LGraph, registry: NodeDefLookup): string {
  return serializeWorkflow(graphToWorkflow(graph, registry));
}

/** The execution graph of what is on the canvas. */
export function graphToExec(graph: LGraph, registry: NodeDefLookup): ToExecResult {
  return toExecGraph(graphToWorkflow(graph, registry), registry);
}
