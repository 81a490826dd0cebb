/**
 * One headless run of a workflow: exec graph, executor, Node host, progress bar. Shared by
 * `disco run`, `disco colorize` and the tests.
 */
import { allNodes } from '../nodes/index.ts';
import { createCpuBackend } from '../runtime/backends/cpu/cpu-backend.ts';
import type { Backend } from '../runtime/backends/backend.ts';
import type { EventSink } from '../runtime/engine/events.ts';
import { Executor, type RunResult } from '../runtime/engine/executor.ts';
import { nodeLabel } from '../runtime/engine/plan.ts';
import { NodeRegistry } from '../runtime/engine/registry.ts';
import { roleOf } from '../runtime/engine/roles.ts';
import { GraphValidationError } from '../runtime/engine/validate.ts';
import type { ModelHost } from '../runtime/engine/context.ts';
import type { ExecGraph } from '../runtime/workflow/exec-format.ts';
import type { Workflow } from '../runtime/workflow/schema.ts';
import { toExecGraph } from '../runtime/workflow/to-exec.ts';
import { loadedModels, modelDrift } from '../runtime/workflow/model-drift.ts';
import { createNodeIO, createNodeModels } from './node-host.ts';
import { printable } from './terminal-text.ts';

let registry: NodeRegistry | undefined;
export function nodeRegistry(): NodeRegistry {
  registry ??= new NodeRegistry(allNodes);
  return registry;
}

export interface ExecuteOptions {
  readonly baseDir: string;
  readonly backend?: Backend;
  readonly models?: ModelHost;
  readonly pixelLimit?: number;
  /** Bytes a run may use; larger photos are refused before decoding (default: see image-io.ts). */
  readonly memoryBudget?: number;
  /** Folder of model sets for Load Model Set (default: the repository's models/). */
  readonly modelsDir?: string;
  /** The workflow's file, named in graph validation errors. */
  readonly source?: string;
  readonly targets?: readonly string[];
  readonly onEvent?: EventSink;
  readonly signal?: AbortSignal;
  /** Where warnings go (default: stderr, `warning: ...`), e.g. other model weights than the workflow's. */
  readonly onWarning?: (line: string) => void;
  /** Reuse an executor (and its cache) across runs, e.g. for diverse results. */
  readonly executor?: Executor;
}

export interface Execution {
  readonly graph: ExecGraph;
  readonly result: RunResult;
  readonly executor: Executor;
}

export function execGraphOf(wf: Workflow): ExecGraph {
  const { graph, missingTypes, issues } = toExecGraph(wf, nodeRegistry());
  if (missingTypes.length) {
    throw new Error(`the workflow uses node types this version of Disco Nodes does not have: ${missingTypes.join(', ')}`);
  }
  // A link to a node or link that is not in the file means the file is damaged: refuse it, saying where.
  const dangling = issues.find((i) => / which does not exist$/.test(i.message));
  if (dangling) throw new Error(`${nodeLabel(dangling.nodeId, graph[dangling.nodeId])}: ${dangling.message}`);
  return graph;
}

export async function executeWorkflow(wf: Workflow, opts: ExecuteOptions): Promise<Execution> {
  const graph = execGraphOf(wf);
  const executor = opts.executor ?? new Executor({ registry: nodeRegistry() });
  const usesModels = Object.values(graph).some((n) => roleOf(nodeRegistry(), n.type) === 'model-set');
  const backend = opts.backend ?? createCpuBackend();
  const result = await executor.run(graph, {
    targets: opts.targets,
    backend,
    models: opts.models ?? (usesModels ? await createNodeModels(opts.modelsDir, backend) : undefined),
    io: createNodeIO({ baseDir: opts.baseDir, pixelLimit: opts.pixelLimit, memoryBudget: opts.memoryBudget }),
    signal: opts.signal,
    onEvent: opts.onEvent,
  }).catch((e: unknown) => {
    throw e instanceof GraphValidationError ? new Error(graphProblems(e, opts.source)) : e;
  });
  if (result.errors.length) {
    throw new Error(result.errors.map((e) => e.message).join('\n'));
  }
  // Weights other than the ones the workflow was made with: say so (the run itself is fine).
  for (const w of modelDrift(wf.extra?.disco?.models, loadedModels(result.values.values()))) {
    (opts.onWarning ?? ((line: string) => process.stderr.write(`warning: ${printable(line)}\n`)))(w);
  }
  return { graph, result, executor };
}

/** Validation problems as one line (one problem) or a count and one line each, after the file name. */
function graphProblems(e: GraphValidationError, source: string | undefined): string {
  const where = source ? `${source}: ` : '';
  if (e.issues.length === 1) return `${where}${e.issues[0].message}`;
  return `${where}the graph has ${e.issues.length} problems:\n${e.issues.map((i) => i.message).join('\n')}`;
}

/** "node 7 (Anchor Locator)" style labels for progress lines. */
export function labeller(graph: ExecGraph): (id: string) => string {
  return (id) => {
    const n = graph[id];
    const def = n && nodeRegistry().get(n.type);
    return `${id} ${n?.title ?? def?.displayName ?? n?.type ?? ''}`.trim();
  };
}
