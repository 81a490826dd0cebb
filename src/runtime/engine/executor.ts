/**
 * Runs an ExecGraph, pulling from the targets: only their ancestors run, in topological order, one
 * node at a time. Each node's cache key is computed from its upstream keys before it runs, so a node
 * whose key is cached is not run at all. A failing node stops only what depends on it; an aborted
 * signal stops the run between nodes (or abandons the node in flight) and nothing partial is cached.
 */
import type { Backend } from '../backends/backend.ts';
import { nodeOf, type ExecGraph } from '../workflow/exec-format.ts';
import { cacheKey } from './cache-key.ts';
import { noModels, type ExecContext, type HostIO, type ModelHost } from './context.ts';
import type { EventSink, NodeEvent } from './events.ts';
import type { NodeDef, Values } from './node-def.ts';
import { ancestors, defaultTargets, linksOf, nodeLabel, resolveParams, topoOrder } from './plan.ts';
import type { NodeRegistry } from './registry.ts';
import { GraphValidationError, validateGraph, type ValidationIssue } from './validate.ts';
import { ValueCache } from './value-cache.ts';

/** The part of the ExecContext the executor owns; a ctxFactory adds backend, models and io. */
export interface BaseContext {
  readonly nodeId: string;
  readonly signal: AbortSignal;
  progress(done: number, total: number): void;
  warn(message: string): void;
}

export interface RunOptions {
  /** Node ids to compute (default: output nodes, or every sink if the graph has none). */
  readonly targets?: readonly string[];
  /** Builds each node's context. Without it, backend/models/io below are used. */
  readonly ctxFactory?: (base: BaseContext) => ExecContext;
  readonly backend?: Backend;
  readonly models?: ModelHost;
  readonly io?: HostIO;
  readonly signal?: AbortSignal;
  readonly onEvent?: EventSink;
}

export interface NodeMessage {
  readonly nodeId: string;
  readonly message: string;
}

export interface RunResult {
  readonly targets: readonly string[];
  /** The planned nodes in the order they were considered. */
  readonly order: readonly string[];
  /** Outputs of each target that produced them. */
  readonly outputs: Readonly<Record<string, Values>>;
  /** Outputs of every node that ran, came from the cache or was bypassed (for previews and dumps). */
  readonly values: ReadonlyMap<string, Values>;
  /** Cache key of each node that got one. */
  readonly keys: ReadonlyMap<string, string>;
  /** Nodes whose execute ran, and nodes served from the cache. */
  readonly executed: readonly string[];
  readonly cached: readonly string[];
  readonly errors: readonly NodeMessage[];
  /** Nodes that did not run, with why (muted, upstream failed or muted). */
  readonly skipped: readonly { readonly nodeId: string; readonly reason: string }[];
  readonly warnings: readonly NodeMessage[];
  /** True when every planned node produced its outputs. */
  readonly ok: boolean;
}

/** Thrown by run() when its signal aborts. Named AbortError, like DOM aborts. */
export class RunCancelledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AbortError';
  }
}

export interface ExecutorOptions {
  readonly registry: NodeRegistry;
  /** Shared across runs; a default one (1 GiB budget) is made when not given. */
  readonly cache?: ValueCache;
}

const noIo: HostIO = {
  async loadImage(ref) {
    throw new Error(`no image host is configured, so "${ref}" cannot be loaded`);
  },
  async fingerprint(ref) {
    throw new Error(`no image host is configured, so "${ref}" cannot be fingerprinted`);
  },
};

/** Makes keys of never-cached nodes unique per execution, so their descendants are never stale. */
let nonceCounter = 0;

export class Executor {
  readonly registry: NodeRegistry;
  readonly cache: ValueCache;

  constructor(opts: ExecutorOptions) {
    this.registry = opts.registry;
    this.cache = opts.cache ?? new ValueCache();
  }

  /**
   * Forgets every cached value and lets later runs (of any executor) reuse their large CPU arrays
   * (array-pool.ts): for an owner that is done with everything this executor computed, e.g. a batch
   * worker after writing a photo's results. Values read after this may hold another run's data.
   */
  recycle(): void {
    this.cache.recycle();
  }

  /** Validates the whole graph (run() validates only the part it will run). */
  validate(graph: ExecGraph): ValidationIssue[] {
    return validateGraph(graph, this.registry);
  }

  async run(graph: ExecGraph, opts: RunOptions = {}): Promise<RunResult> {
    const signal = opts.signal ?? new AbortController().signal;
    if (signal.aborted) throw new RunCancelledError('run cancelled before it started');

    const targets = [...(opts.targets ?? defaultTargets(graph, this.registry))];
    const missing = targets.filter((t) => !nodeOf(graph, t));
    if (missing.length) throw new Error(`cannot run: target node${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not in the graph`);
    const planned = ancestors(graph, this.registry, targets);
    const issues = validateGraph(graph, this.registry, planned);
    if (issues.length) throw new GraphValidationError(issues);
    const order = topoOrder(graph, this.registry, planned)!; // validation ruled out cycles

    const run = new Run(this, graph, opts, signal, order);
    try {
      await run.execute();
    } finally {
      run.finish();
    }
    const outputs: Record<string, Values> = Object.create(null);
    for (const t of targets) {
      const v = run.values.get(t);
      if (v) outputs[t] = v;
    }
    return {
      targets, order, outputs, values: run.values, keys: run.keys,
      executed: run.executed, cached: run.cached, errors: run.errors, skipped: run.skipped, warnings: run.warnings,
      ok: run.errors.length === 0 && run.skipped.length === 0,
    };
  }
}

/** The state of one run() call. */
class Run {
  readonly values = new Map<string, Values>();
  readonly keys = new Map<string, string>();
  readonly executed: string[] = [];
  readonly cached: string[] = [];
  readonly errors: NodeMessage[] = [];
  readonly skipped: { nodeId: string; reason: string }[] = [];
  readonly warnings: NodeMessage[] = [];
  /** Why a node produced nothing, phrased for its descendants. */
  private readonly blocked = new Map<string, string>();
  /** Nodes whose outputs must not be cached (never-cached nodes and their descendants). */
  private readonly volatile = new Set<string>();
  private readonly pinned: string[] = [];
  private readonly registry: NodeRegistry;
  private readonly cache: ValueCache;
  /** Rejects when the caller's signal aborts; undefined when the caller gave none. */
  private readonly aborted?: Promise<never>;
  private readonly stopWatching?: () => void;

  constructor(
    executor: Executor,
    private readonly graph: ExecGraph,
    private readonly opts: RunOptions,
    private readonly signal: AbortSignal,
    private readonly order: readonly string[],
  ) {
    this.registry = executor.registry;
    this.cache = executor.cache;
    // One abort listener for the whole run, not one per awaited node (Node's addEventListener costs
    // tens of µs a call). Without a caller's signal nothing can abort: nodes are awaited as they are.
    if (opts.signal) {
      let onAbort!: () => void;
      this.aborted = new Promise<never>((_, reject) => { onAbort = () => reject(new Error('aborted')); }); // the run sees signal.aborted and cancels
      this.aborted.catch(() => {}); // an abort after the run's last await is nobody's error
      signal.addEventListener('abort', onAbort, { once: true });
      this.stopWatching = () => signal.removeEventListener('abort', onAbort);
    }
  }

  private emit(e: NodeEvent): void {
    this.opts.onEvent?.(e);
  }

  private skip(nodeId: string, reason: string, forDescendants: string): void {
    this.skipped.push({ nodeId, reason });
    this.blocked.set(nodeId, forDescendants);
    this.emit({ nodeId, state: 'skipped', reason });
  }

  /** Unpins what the run held and drops its abort listener. */
  finish(): void {
    for (const k of this.pinned.splice(0)) this.cache.unpin(k);
    this.stopWatching?.();
  }

  /** `p`, or a rejection as soon as the signal aborts, even if the node ignores its signal (its late result is dropped). */
  private abortable<T>(p: Promise<T>): Promise<T> {
    return this.aborted ? Promise.race([p, this.aborted]) : p;
  }

  async execute(): Promise<void> {
    for (const id of this.order) this.emit({ nodeId: id, state: 'pending' });
    for (let i = 0; i < this.order.length; i++) {
      const id = this.order[i];
      if (this.signal.aborted) this.cancel(i, id);
      const node = this.graph[id];
      const label = nodeLabel(id, node);
      const def = this.registry.get(node.type)!; // validated
      const links = linksOf(node, def);

      const upstreamBlock = links.map(([, [src]]) => this.blocked.get(src)).find((r) => r !== undefined);
      if (upstreamBlock) {
        this.skip(id, upstreamBlock, upstreamBlock);
        continue;
      }
      const mode = node.mode ?? 'always';
      if (mode === 'mute') {
        this.skip(id, 'muted', `upstream ${label} is muted`);
        continue;
      }

      const inputs: Values = {};
      const upstream: Record<string, readonly [string, number]> = {};
      for (const [name, [src, slot]] of links) {
        const srcDef = this.registry.get(this.graph[src].type)!;
        inputs[name] = this.values.get(src)![Object.keys(srcDef.outputs)[slot]];
        upstream[name] = [this.keys.get(src)!, slot];
        if (this.volatile.has(src)) this.volatile.add(id);
      }
      if (def.notIdempotent) this.volatile.add(id);

      const t0 = performance.now();
      let active = true;
      try {
        if (mode === 'bypass') {
          this.keys.set(id, cacheKey({ type: def.id, version: def.version, params: {}, upstream, salt: 'bypass' }));
          this.values.set(id, bypass(def, inputs));
          this.emit({ nodeId: id, state: 'done', ms: performance.now() - t0 });
          continue;
        }
        const ctx = this.context(id, () => active);
        const params = resolveParams(def, node);
        const fingerprint = def.fingerprint ? await this.abortable(Promise.resolve(def.fingerprint(ctx, params))) : undefined;
        const key = cacheKey({
          type: def.id, version: def.version, params, upstream, fingerprint,
          salt: def.notIdempotent ? `never-cached:${++nonceCounter}` : undefined,
        });
        this.keys.set(id, key);

        const hit = this.volatile.has(id) ? undefined : this.cache.get(key);
        if (hit) {
          this.hold(key);
          this.values.set(id, hit);
          this.cached.push(id);
          this.emit({ nodeId: id, state: 'cached' });
          continue;
        }

        this.emit({ nodeId: id, state: 'running' });
        const out = await this.abortable(Promise.resolve(def.execute(ctx, inputs, params)));
        if (this.signal.aborted) this.cancel(i, id);
        checkOutputs(def, out);
        active = false;
        if (!this.volatile.has(id)) {
          const types = Object.fromEntries(Object.entries(def.outputs).map(([n, p]) => [n, p.type]));
          this.hold(key); // pinned first: storing must not evict values this run still passes on
          this.cache.set(key, out, types);
        }
        this.values.set(id, out);
        this.executed.push(id);
        this.emit({ nodeId: id, state: 'done', ms: performance.now() - t0 });
      } catch (e) {
        if (e instanceof RunCancelledError) throw e; // cancel() already reported it
        if (this.signal.aborted) this.cancel(i, id);
        const message = `${label}: ${e instanceof Error ? e.message : String(e)}`;
        this.errors.push({ nodeId: id, message });
        this.blocked.set(id, `upstream ${label} failed`);
        this.emit({ nodeId: id, state: 'error', error: message, ms: performance.now() - t0 });
      } finally {
        active = false;
      }
    }
  }

  /** Marks the node in flight and all later ones as skipped, then throws. */
  private cancel(from: number, at: string): never {
    for (const id of this.order.slice(from)) {
      this.skipped.push({ nodeId: id, reason: 'run cancelled' });
      this.emit({ nodeId: id, state: 'skipped', reason: 'run cancelled' });
    }
    const done = this.executed.length + this.cached.length;
    throw new RunCancelledError(`run cancelled at ${nodeLabel(at, this.graph[at])} (${done} of ${this.order.length} nodes had finished)`);
  }

  private hold(key: string): void {
    this.cache.pin(key);
    this.pinned.push(key);
  }

  private context(nodeId: string, isActive: () => boolean): ExecContext {
    const base: BaseContext = {
      nodeId,
      signal: this.signal,
      progress: (done, total) => {
        if (isActive()) this.emit({ nodeId, state: 'running', progress: { done, total } });
      },
      warn: (message) => {
        if (!isActive()) return; // a node abandoned by cancellation may still call in
        this.warnings.push({ nodeId, message });
        this.emit({ nodeId, state: 'running', warning: message });
      },
    };
    if (this.opts.ctxFactory) return this.opts.ctxFactory(base);
    const backend = this.opts.backend;
    return {
      ...base,
      get backend(): Backend {
        if (!backend) throw new Error('no backend was given to this run');
        return backend;
      },
      models: this.opts.models ?? noModels,
      io: this.opts.io ?? noIo,
    };
  }
}

/** A bypassed node hands each output the first connected input of the same port type. */
function bypass(def: NodeDef, inputs: Values): Values {
  const out: Values = {};
  for (const [name, port] of Object.entries(def.outputs)) {
    const from = Object.entries(def.inputs).find(([n, p]) => p.type.name === port.type.name && inputs[n] !== undefined);
    if (!from) throw new Error(`is bypassed, but has no connected input of type ${port.type.name} to pass to output "${name}"`);
    out[name] = inputs[from[0]];
  }
  return out;
}

function checkOutputs(def: NodeDef, out: unknown): asserts out is Values {
  if (typeof out !== 'object' || out === null) throw new Error(`execute returned ${String(out)} instead of an object of outputs`);
  const rec = out as Values;
  const missing = Object.keys(def.outputs).filter((n) => rec[n] === undefined);
  if (missing.length) throw new Error(`did not return output${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')}`);
  const extra = Object.keys(rec).filter((n) => !(n in def.outputs));
  if (extra.length) throw new Error(`returned undeclared output${extra.length > 1 ? 's' : ''} ${extra.map((n) => `"${n}"`).join(', ')} (declared: ${Object.keys(def.outputs).join(', ') || 'none'})`);
}
