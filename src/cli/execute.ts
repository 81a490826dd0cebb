/**
 * One headless run of a workflow: exec graph, executor, Node host, progress bar. Shared by
 * `disco run`, `disco colorize` and the tests.
 */
import { allNodes } from '../nodes/index.ts';
import { createCpuBackend } from '../runtime/backends/cpu/cpu-backend.ts';
import type { Backend } from '../runtime/backends/backend.ts';
import type { EventSink } from '../runtime/engine/events.ts';
import { Executor, type RunResult } from '../runtime/engine/executor.ts';
import { NodeRegistry } from '../runtime/engine/registry.ts';
import type { ModelHost } from '../runtime/engine/context.ts';
import type { ExecGraph } from '../runtime/workflow/exec-format.ts';
import type { Workflow } from '../runtime/workflow/schema.ts';
import { toExecGraph } from '../runtime/workflow/to-exec.ts';
import { createNodeIO, createNodeModels } from './node-host.ts';

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
  readonly targets?: readonly string[];
  readonly onEvent?: EventSink;
  readonly signal?: AbortSignal;
  /** Reuse an executor (and its cache) across runs, e.g. for diverse results. */
  readonly executor?: Executor;
}

export interface Execution {
  readonly graph: ExecGraph;
  readonly result: RunResult;
  readonly executor: Executor;
}

export function execGraphOf(wf: Workflow): ExecGraph {
  const { graph, missingTypes } = toExecGraph(wf, nodeRegistry());
  if (missingTypes.length) {
    throw new Error(`the workflow uses node types this version of Disco Nodes does not have: ${missingTypes.join(', ')}`);
  }
  return graph;
}

export async function executeWorkflow(wf: Workflow, opts: ExecuteOptions): Promise<Execution> {
  const graph = execGraphOf(wf);
  const executor = opts.executor ?? new Executor({ registry: nodeRegistry() });
  const usesModels = Object.values(graph).some((n) => n.type === 'disco/load-model-set');
  const backend = opts.backend ?? createCpuBackend();
  const result = await executor.run(graph, {
    targets: opts.targets,
    backend,
    models: opts.models ?? (usesModels ? await createNodeModels(undefined, backend) : undefined),
    io: createNodeIO({ baseDir: opts.baseDir, pixelLimit: opts.pixelLimit }),
    signal: opts.signal,
    onEvent: opts.onEvent,
  });
  if (result.errors.length) {
    throw new Error(result.errors.map((e) => e.message).join('\n'));
  }
  return { graph, result, executor };
}

/** "node 7 (Anchor Locator)" style labels for progress lines. */
export function labeller(graph: ExecGraph): (id: string) => string {
  return (id) => {
    const n = graph[id];
    const def = n && nodeRegistry().get(n.type);
    return `${id} ${n?.title ?? def?.displayName ?? n?.type ?? ''}`.trim();
  };
}
