/**
 * The execution graph of what is on the canvas, read straight from litegraph's nodes and links:
 * no JSON round trip, no schema validation and no migrations (those are for files; the canvas's
 * params were checked when they were set or opened). Same rules as for a file (toExecGraph):
 * unknown types are left out, params by name, modes and titles.
 */
import type { LGraph } from '@comfyorg/litegraph';
import type { NodeDefLookup } from '../../runtime/workflow/params.ts';
import { toExecGraph, type ExecSourceNode, type ToExecResult } from '../../runtime/workflow/to-exec.ts';

export function canvasToExec(graph: LGraph, registry: NodeDefLookup): ToExecResult {
  const nodes = graph._nodes.map((n): ExecSourceNode => ({
    id: n.id, type: n.type ?? '', mode: n.mode, title: n.title,
    inputs: n.inputs?.map((s) => ({ name: s.name, type: s.type, link: s.link })),
    properties: n.properties as ExecSourceNode['properties'],
  }));
  return toExecGraph({ nodes, links: graph.links.values() }, registry);
}
