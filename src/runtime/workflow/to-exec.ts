/**
 * Saved workflow -> execution graph. Node ids become strings, parameters are resolved by name, and a
 * linked input becomes `[sourceId, outputSlot]` under its name. Nodes whose type is not installed are
 * left out (they stay in the workflow as placeholders); inputs fed by them are left out too, so the
 * executor's validation reports those inputs as missing.
 */
import type { ExecGraph, ExecNode, NodeMode } from './exec-format.ts';
import { resolveParams, type NodeDefLookup } from './params.ts';
import type { Workflow, WorkflowLink, WorkflowNode } from './schema.ts';

export interface WorkflowIssue {
  readonly nodeId: string;
  readonly message: string;
}

export interface ToExecResult {
  readonly graph: ExecGraph;
  /** Node types used in the workflow that the registry does not know, in order of first use. */
  readonly missingTypes: string[];
  /** Things skipped or defaulted on the way (dangling links, defaulted params, odd modes). */
  readonly issues: WorkflowIssue[];
}

/** litegraph LGraphEventMode: 0 ALWAYS, 1 ON_EVENT, 2 NEVER, 3 ON_TRIGGER, 4 BYPASS. */
export const LITEGRAPH_MODE: Readonly<Record<NodeMode, number>> = { always: 0, mute: 2, bypass: 4 };

export function modeFromLitegraph(mode: number): NodeMode | undefined {
  return mode === 0 ? 'always' : mode === 2 ? 'mute' : mode === 4 ? 'bypass' : undefined;
}

/** What toExecGraph reads of a workflow: a loaded file, or the editor's canvas as it is (no validation). */
export interface ExecSource {
  readonly nodes: readonly ExecSourceNode[];
  readonly links?: Iterable<Pick<WorkflowLink, 'id' | 'origin_id' | 'origin_slot'>> | null;
}
export type ExecSourceNode = Pick<WorkflowNode, 'id' | 'type' | 'mode' | 'title' | 'inputs' | 'properties' | 'widgets_values'>;

export function toExecGraph(wf: Workflow | ExecSource, registry: NodeDefLookup): ToExecResult {
  const nodesById = new Map(wf.nodes.map((n) => [String(n.id), n]));
  const linksById = new Map([...(wf.links ?? [])].map((l) => [l.id, l]));
  const missing = new Set<string>();
  const issues: WorkflowIssue[] = [];
  // Keyed by ids from the file: no prototype, so "__proto__" or "constructor" is an ordinary key.
  const graph: Record<string, ExecNode> = Object.create(null);

  for (const node of wf.nodes) {
    const id = String(node.id);
    const def = registry.get(node.type);
    if (!def) {
      missing.add(node.type);
      continue;
    }
    const issue = (message: string) => issues.push({ nodeId: id, message });
    const inputs: Record<string, unknown> = Object.create(null);
    for (const slot of node.inputs ?? []) {
      if (slot.link === null || slot.link === undefined) continue;
      const ref = linkSource(slot.name, linksById.get(slot.link), slot.link, nodesById, registry, issue);
      if (!ref) continue;
      if (Object.hasOwn(def.inputs, slot.name)) inputs[slot.name] = ref;
      else if (Object.hasOwn(def.params, slot.name)) issue(`a link into parameter "${slot.name}" is not supported; the parameter's own value is used`);
      else issue(`input "${slot.name}" is not an input of ${node.type}; its link is ignored`);
    }
    const { params, defaulted } = resolveParams(node, def);
    if (defaulted.length) issue(`parameters not saved, defaults used: ${defaulted.join(', ')}`);
    Object.assign(inputs, params);

    let mode = modeFromLitegraph(node.mode);
    if (!mode) {
      issue(`litegraph mode ${node.mode} is not supported; the node runs normally`);
      mode = 'always';
    }
    graph[id] = {
      type: node.type,
      inputs,
      ...(mode !== 'always' ? { mode } : {}),
      title: node.title ?? def.displayName,
    };
  }
  return { graph, missingTypes: [...missing], issues };
}

function linkSource(
  inputName: string,
  link: Pick<WorkflowLink, 'origin_id' | 'origin_slot'> | undefined,
  linkId: number,
  nodesById: Map<string, ExecSourceNode>,
  registry: NodeDefLookup,
  issue: (m: string) => void,
): readonly [string, number] | undefined {
  if (!link) {
    issue(`input "${inputName}" refers to link ${linkId}, which does not exist`);
    return undefined;
  }
  const sourceId = String(link.origin_id);
  const source = nodesById.get(sourceId);
  if (!source) {
    issue(`input "${inputName}" comes from node ${sourceId}, which does not exist`);
    return undefined;
  }
  if (!registry.get(source.type)) {
    issue(`input "${inputName}" comes from node ${sourceId}, whose type ${source.type} is not installed`);
    return undefined;
  }
  return [sourceId, link.origin_slot];
}
