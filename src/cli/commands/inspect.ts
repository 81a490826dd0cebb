/** `disco inspect <workflow.json|png>`: nodes, parameters, links and models of a workflow. */
import { parse } from '../args.ts';
import { nodeRegistry } from '../execute.ts';
import { readWorkflowFile } from '../workflow-file.ts';
import { toExecGraph } from '../../runtime/workflow/to-exec.ts';
import { isLinkRef } from '../../runtime/workflow/exec-format.ts';

export async function inspectCommand(args: string[]): Promise<number> {
  const { positionals } = parse(args, {}, 1);
  const registry = nodeRegistry();
  const { workflow, notes } = await readWorkflowFile(positionals[0], registry);
  const { graph, missingTypes } = toExecGraph(workflow, registry);
  const out: string[] = [];
  const disco = workflow.extra?.disco;
  out.push(`workflow: ${positionals[0]}`);
  if (disco) out.push(`format ${disco.formatVersion}, saved by Disco Nodes ${disco.appVersion ?? 'unknown'}`);
  for (const n of notes) out.push(`migrated: ${n}`);
  out.push('', `nodes (${workflow.nodes.length}):`);
  for (const node of workflow.nodes) {
    const id = String(node.id);
    const def = registry.get(node.type);
    const mode = graph[id]?.mode && graph[id].mode !== 'always' ? ` [${graph[id].mode}]` : '';
    out.push(`  ${id} ${node.title ?? def?.displayName ?? node.type} (${node.type}${def ? '' : ', NOT INSTALLED'})${mode}`);
    for (const [name, value] of Object.entries(graph[id]?.inputs ?? {})) {
      if (def && name in def.inputs && isLinkRef(value)) {
        const src = graph[value[0]];
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
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
