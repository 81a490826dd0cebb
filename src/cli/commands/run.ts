/** `disco run <workflow.json|png> [--input img] [--output png [--force]] [--set id.param=value]... [--dump dir]` */
import { relative, resolve } from 'node:path';
import { roleOf } from '../../runtime/engine/roles.ts';
import type { ImageValue } from '../../runtime/values/types.ts';
import { backendOption, commonOptions, intOption, memoryOption, parse } from '../args.ts';
import { dumpRun } from '../dump.ts';
import { executeWorkflow, execGraphOf, labeller, nodeRegistry } from '../execute.ts';
import { createNodeBackend } from '../node-host.ts';
import { checkOutput, workflowInputs } from '../output-guard.ts';
import { nextSavePath, resultImage, writeResultPng } from '../outputs.ts';
import { ProgressBar } from '../progress.ts';
import { printable } from '../terminal-text.ts';
import { readWorkflowFile, withInput, withSetting } from '../workflow-file.ts';

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...commonOptions,
    input: { type: 'string', short: 'i' },
    output: { type: 'string', short: 'o' },
    set: { type: 'string', multiple: true },
    dump: { type: 'string' },
    force: { type: 'boolean' },
  }, 1);
  const registry = nodeRegistry();
  const file = await readWorkflowFile(positionals[0], registry);
  let wf = file.workflow;
  if (values.input) wf = withInput(wf, values.input, registry);
  for (const s of values.set ?? []) wf = withSetting(wf, s, registry);

  const graph = execGraphOf(wf);
  // --output never replaces the workflow file or a photo it reads, nor an existing file without --force.
  if (values.output) checkOutput(resolve(values.output), [positionals[0], ...workflowInputs(wf, file.baseDir, registry)], Boolean(values.force));
  const progress = new ProgressBar(process.stderr, labeller(graph));
  const { backend, close } = await createNodeBackend(backendOption(values.backend), (line) => process.stderr.write(`${line}\n`));
  try {
    const { result } = await executeWorkflow(wf, {
      baseDir: file.baseDir, backend, onEvent: progress.onEvent,
      pixelLimit: intOption(values['max-pixels'], 'max-pixels', 1, 2 ** 31),
      memoryBudget: memoryOption(values['max-memory']), modelsDir: values['models-dir'], source: positionals[0],
    }).finally(() => progress.end());
    if (values.output) {
      const { image } = resultImage(result, graph);
      await writeResultPng(resolve(values.output), image, wf, file.baseDir);
      process.stderr.write(`wrote ${values.output} (${image.width}x${image.height})\n`);
    } else {
      // Without --output, every Save Image node writes <prefix>_NNNNN.png in the current folder.
      for (const id of result.targets.filter((t) => roleOf(registry, graph[t].type) === 'result')) {
        const image = result.outputs[id]?.image as ImageValue | undefined;
        if (!image) continue;
        const path = await nextSavePath(process.cwd(), String(graph[id].inputs.filename_prefix ?? 'disco'));
        await writeResultPng(path, image, wf, file.baseDir);
        process.stderr.write(`wrote ${printable(relative(process.cwd(), path))} (${image.width}x${image.height})\n`);
      }
    }
    if (values.dump) {
      const files = await dumpRun(resolve(values.dump), result, graph, backend);
      process.stderr.write(`dumped ${files.length} files to ${values.dump}\n`);
    }
    return 0;
  } finally {
    close();
  }
}
