/** The engine's public surface: node definitions, registry, validation, cache and executor. */
export * from './node-def.ts';
export * from './context.ts';
export { NodeRegistry } from './registry.ts';
export { validateGraph, GraphValidationError, type IssueKind, type ValidationIssue } from './validate.ts';
export { canonicalJson, cacheKey, NonJsonError, type KeyMaterial } from './cache-key.ts';
export { sha256Hex } from './sha256.ts';
export { ValueCache, type ValueCacheOptions } from './value-cache.ts';
export { nodeLabel, resolveParams, defaultTargets, ancestors, topoOrder } from './plan.ts';
export type { NodeEvent, NodeState, EventSink } from './events.ts';
export {
  Executor, RunCancelledError,
  type ExecutorOptions, type RunOptions, type RunResult, type BaseContext, type NodeMessage,
} from './executor.ts';
