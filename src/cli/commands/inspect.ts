/**
 * `disco inspect <workflow.json|png>`: nodes, parameters, links and models of a workflow. Exits 1,
 * after the listing, when the file is damaged: a link to a node or link that does not exist, a link to
 * an output the source lacks, or a cycle. Text from the file is printed with control characters escaped.
 */
import { parse } from '../args.ts';
import { nodeRegistry } from '../execute.ts';
import { printable } from '../terminal-text.ts';
import { readWorkflowFile } from '../workflow-file.ts';
import { validateGraph } from '../../runtime/engine/validate.ts';
import { nodeLabel } from '../../runtime/engine/plan.ts';
import { toExecGraph } from '../../runtime/workflow/to-exec.ts';
import { isLinkRef, nodeOf } from '../../runtime/workflow/exec-format.ts';

export async function inspectCommand(args: string[]): Promise<number> {
  const { positionals } = parse(args, {}, 1);
  const file = positionals[0];
  const registry = nodeRegistry();
  const { workflow, notes } = await readWorkflowFile(file, registry);
  const { graph, missingTypes, issues } = toExecGraph(workflow, registry);
  const out: string[] = [];
  const disco = workflow.extra?.disco;
  out.push(`workflow: ${file}`);
  out.push(disco?.appVersion !== undefined
    ? `format ${disco.formatVersion}, saved by Disco Nodes ${disco.appVersion}`
    : 'not saved by Disco Nodes (no extra.disco.appVersion): read as a ComfyUI/litegraph workflow');
  for (const n of notes) out.push(`migrated: ${n}`);
  out.push('', `nodes (${workflow.nodes.length}):`);
  for (const node of workflow.nodes) {
    const id = String(node.id);
    const exec = nodeOf(graph, id);
    const def = registry.get(node.type);
    const mode = exec?.mode && exec.mode !== 'always' ? ` [${exec.mode}]` : '';
    out.push(`  ${id} ${node.title ?? def?.displayName ?? node.type} (${node.type}${def ? '' : ', NOT INSTALLED'})${mode}`);
    for (const [name, value] of Object.entries(exec?.inputs ?? {})) {
      if (def && Object.hasOwn(def.inputs, name) && isLinkRef(value)) {
        const src = nodeOf(graph, value[0]);
        const srcDef = src && registry.get(src.type);
        const outName = srcDef ? Object.keys(srcDef.outputs)[value[1]] : `#${value[1]}`;
        out.push(`      ${name} <- ${value[0]}.${outName}`);
      } else {
        out.push(`      ${name} = ${JSON.stringify(value)}`);
      }
    }
  }
  const models = disco?.models ?? [];
  out.push('', `models (${models.length}):`);
  for (const m of models) out.push(`  ${JSON.stringify(m)}`);
  if (missingTypes.length) out.push('', `missing node types: ${missingTypes.join(', ')}`);

  // Damage: links to nothing (from the file) and bad links or cycles among the installed nodes.
  const damage = [
    ...issues.filter((i) => / which does not exist$/.test(i.message)).map((i) => `${nodeLabel(i.nodeId, nodeOf(graph, i.nodeId))}: ${i.message}`),
    ...validateGraph(graph, registry).filter((i) => i.kind === 'cycle' || i.kind === 'bad-link').map((i) => i.message),
  ];
  if (damage.length) out.push('', `damaged (${damage.length}):`, ...damage.map((d) => `  ${d}`));
  process.stdout.write(out.map(printable).join('\n') + '\n');
  if (damage.length) {
    const more = damage.length > 1 ? ` (and ${damage.length - 1} more, listed above)` : '';
    throw new Error(`${file}: the workflow is damaged: ${damage[0]}${more}`);
  }
  return 0;
}
