/**
 * Nodes whose type is not installed. They load as placeholders: the workflow keeps their data
 * untouched (so a save writes them back as they were), the editor shows them in red, and
 * toExecGraph leaves them out.
 */
import type { NodeDefLookup } from './params.ts';
import type { Workflow, WorkflowNode } from './schema.ts';

export interface Placeholder {
  readonly nodeId: string;
  readonly type: string;
  readonly node: WorkflowNode;
}

export function findPlaceholders(wf: Workflow, registry: NodeDefLookup): Placeholder[] {
  return wf.nodes.filter((n) => !registry.get(n.type)).map((node) => ({ nodeId: String(node.id), type: node.type, node }));
}

/** Unknown node types, in order of first use. */
export function missingNodeTypes(wf: Workflow, registry: NodeDefLookup): string[] {
  return [...new Set(findPlaceholders(wf, registry).map((p) => p.type))];
}
