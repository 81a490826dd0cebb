/**
 * `disco colorize <image> [-o out.png] [--anchors K] [--diverse N] [--workflow file]`: the one-line
 * path. Runs the default workflow (automatic DISCO with the shipped model set) on one photo.
 * With --diverse N it runs N anchor-colour variants; the shared stages run once (the cache).
 */
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Executor } from '../../runtime/engine/executor.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';
import { backendOption, commonOptions, intOption, memoryOption, parse } from '../args.ts';
import { executeWorkflow, execGraphOf, labeller, nodeRegistry } from '../execute.ts';
import { createNodeBackend, createNodeModels } from '../node-host.ts';
import { resultImage, writeResultPng } from '../outputs.ts';
import { ProgressBar } from '../progress.ts';
import { readWorkflowFile, withInput, withSetting } from '../workflow-file.ts';
import { UsageError } from './index.ts';

export const DEFAULT_WORKFLOW = fileURLToPath(new URL('../../../workflows/disco-auto.json', import.meta.url));

export async function colorizeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...commonOptions,
    output: { type: 'string', short: 'o' },
    anchors: { type: 'string' },
    diverse: { type: 'string' },
    workflow: { type: 'string' },
  }, 1);
  const input = positionals[0];
  const k = intOption(values.anchors, 'anchors', 3, 14);
  const diverse = intOption(values.diverse, 'diverse', 1, 10) ?? 1;
  const output = resolve(values.output ?? `${basename(input, extname(input))}-color.png`);

  const registry = nodeRegistry();
  const file = await readWorkflowFile(values.workflow ?? DEFAULT_WORKFLOW, registry);
  let wf = withInput(file.workflow, input, registry);
  if (k !== undefined) wf = setOnType(wf, 'disco/anchor-locator', 'k', k, '--anchors');
  const variants = Array.from({ length: diverse }, (_, v) => (diverse > 1 ? setOnType(wf, 'disco/anchor-colors', 'variant', v, '--diverse') : wf));

  const { backend, close } = await createNodeBackend(backendOption(values.backend), (line) => process.stderr.write(`${line}\n`));
  const executor = new Executor({ registry });
  const models = await createNodeModels(values['models-dir'], backend); // one ONNX session per model file for all variants
  try {
    for (const [v, variant] of variants.entries()) {
      const graph = execGraphOf(variant);
      const progress = new ProgressBar(process.stderr, labeller(graph));
      const { result } = await executeWorkflow(variant, {
        baseDir: file.baseDir, backend, executor, models, onEvent: progress.onEvent,
        pixelLimit: intOption(values['max-pixels'], 'max-pixels', 1, 2 ** 31),
        memoryBudget: memoryOption(values['max-memory']), modelsDir: values['models-dir'], source: values.workflow ?? DEFAULT_WORKFLOW,
      }).finally(() => progress.end());
      const { image } = resultImage(result, graph);
      const path = diverse > 1 ? output.replace(/(\.png)?$/i, `.c${v}.png`) : output;
      await writeResultPng(path, image, variant, file.baseDir);
      process.stderr.write(`wrote ${path} (${image.width}x${image.height})\n`);
    }
    return 0;
  } finally {
    close();
  }
}

function setOnType(wf: Workflow, type: string, param: string, value: number, flag: string): Workflow {
  const nodes = wf.nodes.filter((n) => n.type === type);
  if (!nodes.length) throw new UsageError(`${flag} needs a ${type} node, and this workflow has none`);
  return nodes.reduce((w, n) => withSetting(w, `${n.id}.${param}=${value}`, nodeRegistry()), wf);
}
