import { describe, expect, it } from 'vitest';
import type { ValueType } from '../values/value-types.ts';
import type { ExecGraph } from '../workflow/exec-format.ts';
import type { HostIO } from './context.ts';
import type { NodeEvent } from './events.ts';
import { Executor, RunCancelledError } from './executor.ts';
import { defineNode, str } from './node-def.ts';
import { gate, makeToys, NUM } from './toy-nodes.fixture.ts';
import { GraphValidationError } from './validate.ts';
import { ValueCache } from './value-cache.ts';

function setup(cache?: ValueCache) {
  const toys = makeToys();
  return { ...toys, ex: new Executor({ registry: toys.registry, cache }) };
}

/** Ids chosen so that key order is the reverse of data-flow order. */
const chain = (k = 1): ExecGraph => ({
  1: { type: 'toy/show', inputs: { s: ['2', 0] } },
  2: { type: 'toy/to-str', inputs: { n: ['3', 0] } },
  3: { type: 'toy/add', inputs: { a: ['4', 0], k } },
  4: { type: 'toy/num', inputs: { value: 2 } },
  5: { type: 'toy/num', inputs: { value: 7 } },
  6: { type: 'toy/add', inputs: { a: ['5', 0] } },
});

const nextTick = () => new Promise((r) => setTimeout(r, 0));

describe('Executor planning', () => {
  it('runs only the ancestors of the output nodes, in topological order', async () => {
    const { ex, calls } = setup();
    const r = await ex.run(chain());
    expect(r.targets).toEqual(['1']);
    expect(r.order).toEqual(['4', '3', '2', '1']);
    expect(r.executed).toEqual(['4', '3', '2', '1']);
    expect(calls).toEqual({ 4: 1, 3: 1, 2: 1, 1: 1 });
    expect(r.values.get('2')).toEqual({ s: '#3' });
    expect(r.outputs).toEqual({ 1: {} });
    expect(r.ok).toBe(true);
  });

  it('runs only what explicit targets need', async () => {
    const { ex, calls } = setup();
    const r = await ex.run(chain(), { targets: ['6'] });
    expect(r.order).toEqual(['5', '6']);
    expect(r.outputs).toEqual({ 6: { sum: 7 } });
    expect(calls).toEqual({ 5: 1, 6: 1 });
  });

  it('targets every sink when no node is an output node', async () => {
    const { ex } = setup();
    const g = chain();
    const { 1: _show, ...rest } = g;
    const r = await ex.run(rest);
    expect(r.targets).toEqual(['2', '6']);
    expect(r.outputs).toEqual({ 2: { s: '#3' }, 6: { sum: 7 } });
  });

  it('rejects unknown targets', async () => {
    await expect(setup().ex.run(chain(), { targets: ['9'] })).rejects.toThrow('target node 9 not in the graph');
  });

  it('validates the planned nodes first and runs nothing when they are invalid', async () => {
    const { ex, calls } = setup();
    const g: ExecGraph = { ...chain(50), 6: { type: 'toy/nope', inputs: {} } };
    const err = await ex.run(g).catch((e) => e);
    expect(err).toBeInstanceOf(GraphValidationError);
    expect(err.issues.map((i: { nodeId: string; kind: string }) => [i.nodeId, i.kind])).toEqual([['3', 'param-range']]);
    expect(err.message).toContain('node 3 (toy/add): parameter "k" is 50, above the maximum 10');
    expect(calls).toEqual({});
    // Node 6 is invalid but not needed by target 1.
    await expect(ex.run({ ...chain(), 6: { type: 'toy/nope', inputs: {} } })).resolves.toMatchObject({ ok: true });
  });

  it('passes values as they are, without copying', async () => {
    const registry = makeToys().registry;
    const made = { hello: 'world' };
    let seen: unknown;
    const T: ValueType<unknown> = { ...(NUM as ValueType<unknown>), name: 'OBJ' };
    registry.register(defineNode({
      id: 'toy/make', version: 1, displayName: 'Make', category: 't', description: 'd', inputs: {}, params: {},
      outputs: { o: { type: T } }, execute: () => ({ o: made }),
    }));
    registry.register(defineNode({
      id: 'toy/take', version: 1, displayName: 'Take', category: 't', description: 'd', inputs: { o: { type: T } }, params: {},
      outputs: {}, execute: (_c, i) => { seen = i.o; return {}; },
    }));
    await new Executor({ registry }).run({ 1: { type: 'toy/make', inputs: {} }, 2: { type: 'toy/take', inputs: { o: ['1', 0] } } });
    expect(seen).toBe(made);
  });
});

describe('Executor cache', () => {
  it('re-runs only the changed node and its descendants, and hits the cache again after undo', async () => {
    const { ex, calls } = setup();
    await ex.run(chain(1));
    const again = await ex.run(chain(1));
    expect(again.executed).toEqual([]);
    expect(again.cached).toEqual(['4', '3', '2', '1']);

    const changed = await ex.run(chain(2));
    expect(changed.cached).toEqual(['4']);
    expect(changed.executed).toEqual(['3', '2', '1']);
    expect(changed.values.get('2')).toEqual({ s: '#4' });

    const undone = await ex.run(chain(1));
    expect(undone.executed).toEqual([]);
    expect(undone.values.get('2')).toEqual({ s: '#3' });
    expect(calls).toEqual({ 4: 1, 3: 2, 2: 2, 1: 2 });
  });

  it('treats a missing parameter and its explicit default as the same key', async () => {
    const { ex } = setup();
    await ex.run(chain(0));
    const g = chain(0);
    const r = await ex.run({ ...g, 3: { type: 'toy/add', inputs: { a: ['4', 0] } } });
    expect(r.executed).toEqual([]);
  });

  it('shares results between executors that share a cache', async () => {
    const cache = new ValueCache();
    await setup(cache).ex.run(chain());
    const second = setup(cache);
    expect((await second.ex.run(chain())).executed).toEqual([]);
    expect(second.calls).toEqual({});
  });

  it('never caches a notIdempotent node, nor what depends on it', async () => {
    const { ex, calls } = setup();
    const g: ExecGraph = { 1: { type: 'toy/rand', inputs: {} }, 2: { type: 'toy/add', inputs: { a: ['1', 0] } } };
    const a = await ex.run(g);
    const b = await ex.run(g);
    expect(a.values.get('2')).toEqual({ sum: 1 });
    expect(b.values.get('2')).toEqual({ sum: 2 });
    expect(b.cached).toEqual([]);
    expect(calls).toEqual({ 1: 2, 2: 2 });
    expect(ex.cache.size).toBe(0);
  });

  it('includes the fingerprint in the key, so a changed file re-runs its node', async () => {
    const registry = makeToys().registry;
    let runs = 0;
    registry.register(defineNode({
      id: 'toy/load', version: 1, displayName: 'Load', category: 't', description: 'd', inputs: {},
      params: { path: str({ default: 'a.png' }) }, outputs: { n: { type: NUM } },
      fingerprint: (ctx, p) => ctx.io.fingerprint(p.path as string),
      execute: () => ({ n: ++runs }),
    }));
    const hashes: Record<string, string> = { 'a.png': 'h1' };
    const io: HostIO = { loadImage: () => Promise.reject(new Error('unused')), fingerprint: async (ref) => hashes[ref] };
    const ex = new Executor({ registry });
    const g: ExecGraph = { 1: { type: 'toy/load', inputs: {} } };
    await ex.run(g, { io });
    await ex.run(g, { io });
    expect(runs).toBe(1);
    hashes['a.png'] = 'h2';
    expect((await ex.run(g, { io })).values.get('1')).toEqual({ n: 2 });
  });

  it('evicts by bytes across runs and releases evicted GPU tensors', async () => {
    const released: string[] = [];
    const cache = new ValueCache({ maxBytes: 100, release: (ts) => released.push(...ts.map((t) => String(t.shape[0] * 4))) });
    const { ex, calls } = setup(cache);
    const blob = (size: number): ExecGraph => ({ 1: { type: 'toy/blob', inputs: { size } } });
    await ex.run(blob(60));
    await ex.run(blob(32));
    expect(released).toEqual([]); // both held pinned during their runs; 92 bytes fit
    await ex.run(blob(40));
    expect(released).toEqual(['60']);
    await ex.run(blob(32));
    expect(calls).toEqual({ 1: 3 }); // the 32-byte result was still cached
    expect(cache.bytes).toBe(72);
  });
});

describe('Executor events, errors and modes', () => {
  it('reports pending, running with progress and warnings, done, and cached, in order', async () => {
    const { ex } = setup();
    const g: ExecGraph = { 1: { type: 'toy/num', inputs: { value: 1 } }, 2: { type: 'toy/slow', inputs: { n: ['1', 0] } } };
    const events: NodeEvent[] = [];
    const r = await ex.run(g, { onEvent: (e) => events.push(e) });
    const strip = (e: NodeEvent) => {
      const { ms, ...rest } = e;
      if (e.state === 'done') expect(ms).toBeGreaterThanOrEqual(0);
      return rest;
    };
    expect(events.map(strip)).toEqual([
      { nodeId: '1', state: 'pending' },
      { nodeId: '2', state: 'pending' },
      { nodeId: '1', state: 'running' },
      { nodeId: '1', state: 'done' },
      { nodeId: '2', state: 'running' },
      { nodeId: '2', state: 'running', progress: { done: 0, total: 2 } },
      { nodeId: '2', state: 'running', progress: { done: 1, total: 2 } },
      { nodeId: '2', state: 'running', warning: 'took its time' },
      { nodeId: '2', state: 'running', progress: { done: 2, total: 2 } },
      { nodeId: '2', state: 'done' },
    ]);
    expect(r.warnings).toEqual([{ nodeId: '2', message: 'took its time' }]);
    events.length = 0;
    await ex.run(g, { onEvent: (e) => events.push(e) });
    expect(events.map((e) => `${e.nodeId}:${e.state}`)).toEqual(['1:pending', '2:pending', '1:cached', '2:cached']);
  });

  it('stops only the failing branch and lists the error', async () => {
    const { ex, calls } = setup();
    const g: ExecGraph = {
      1: { type: 'toy/num', inputs: {} },
      2: { type: 'toy/fail', inputs: { n: ['1', 0] } },
      3: { type: 'toy/to-str', inputs: { n: ['2', 0] } },
      4: { type: 'toy/show', inputs: { s: ['3', 0] } },
      5: { type: 'toy/num', inputs: { value: 5 } },
      6: { type: 'toy/to-str', inputs: { n: ['5', 0] } },
      7: { type: 'toy/show', inputs: { s: ['6', 0] } },
    };
    const events: NodeEvent[] = [];
    const r = await ex.run(g, { onEvent: (e) => events.push(e) });
    expect(r.errors).toEqual([{ nodeId: '2', message: 'node 2 (toy/fail): boom' }]);
    expect(r.skipped).toEqual([
      { nodeId: '3', reason: 'upstream node 2 (toy/fail) failed' },
      { nodeId: '4', reason: 'upstream node 2 (toy/fail) failed' },
    ]);
    expect(r.outputs).toEqual({ 7: {} });
    expect(r.values.get('6')).toEqual({ s: '#5' });
    expect(r.ok).toBe(false);
    expect(calls).toEqual({ 1: 1, 2: 1, 5: 1, 6: 1, 7: 1 });
    expect(events.find((e) => e.state === 'error')).toMatchObject({ nodeId: '2', error: 'node 2 (toy/fail): boom' });
    // A failed node is not cached: the next run tries it again.
    await ex.run(g);
    expect(calls[2]).toBe(2);
  });

  it('fails a node that leaves out a declared output, naming it', async () => {
    const r = await setup().ex.run({ 1: { type: 'toy/half', inputs: {} } });
    expect(r.errors).toEqual([{ nodeId: '1', message: 'node 1 (toy/half): did not return output "b"' }]);
  });

  it('says when a node needs a backend the run was not given', async () => {
    const registry = makeToys().registry;
    registry.register(defineNode({
      id: 'toy/gpu', version: 1, displayName: 'Gpu', category: 't', description: 'd', inputs: {}, params: {},
      outputs: {}, execute: (ctx) => { void ctx.backend.name; return {}; },
    }));
    const r = await new Executor({ registry }).run({ 1: { type: 'toy/gpu', inputs: {} } });
    expect(r.errors).toEqual([{ nodeId: '1', message: 'node 1 (toy/gpu): no backend was given to this run' }]);
  });

  it('builds node contexts with the ctxFactory', async () => {
    const { ex } = setup();
    const seen: string[] = [];
    const r = await ex.run(chain(), {
      targets: ['6'],
      ctxFactory: (base) => {
        seen.push(base.nodeId);
        return { ...base, backend: undefined as never, models: undefined as never, io: undefined as never };
      },
    });
    expect(seen).toEqual(['5', '6']);
    expect(r.outputs).toEqual({ 6: { sum: 7 } });
  });

  it('bypass passes the first input of the same type to each output', async () => {
    const { ex, calls } = setup();
    const g: ExecGraph = { ...chain(5), 3: { type: 'toy/add', inputs: { a: ['4', 0], k: 5 }, mode: 'bypass' } };
    const r = await ex.run(g);
    expect(r.values.get('2')).toEqual({ s: '#2' });
    expect(calls[3]).toBeUndefined();
    // Switching bypass off runs the node and changes what follows.
    expect((await ex.run(chain(5))).values.get('2')).toEqual({ s: '#7' });
  });

  it('bypass fails clearly when no input matches an output type', async () => {
    const { ex } = setup();
    const g: ExecGraph = { ...chain(), 2: { type: 'toy/to-str', inputs: { n: ['3', 0] }, mode: 'bypass' } };
    const r = await ex.run(g);
    expect(r.errors).toEqual([{ nodeId: '2', message: 'node 2 (toy/to-str): is bypassed, but has no connected input of type STR to pass to output "s"' }]);
    expect(r.skipped).toEqual([{ nodeId: '1', reason: 'upstream node 2 (toy/to-str) failed' }]);
  });

  it('mute never runs a node and skips its descendants, saying why', async () => {
    const { ex, calls } = setup();
    const g: ExecGraph = { ...chain(), 3: { type: 'toy/add', inputs: { a: ['4', 0] }, mode: 'mute', title: 'Adder' } };
    const r = await ex.run(g);
    expect(r.skipped).toEqual([
      { nodeId: '3', reason: 'muted' },
      { nodeId: '2', reason: 'upstream node 3 "Adder" (toy/add) is muted' },
      { nodeId: '1', reason: 'upstream node 3 "Adder" (toy/add) is muted' },
    ]);
    expect(r.errors).toEqual([]);
    expect(calls).toEqual({ 4: 1 });
  });
});

describe('Executor cancellation', () => {
  const slowChain: ExecGraph = {
    1: { type: 'toy/num', inputs: { value: 3 } },
    2: { type: 'toy/slow', inputs: { n: ['1', 0] } },
    3: { type: 'toy/to-str', inputs: { n: ['2', 0] } },
  };

  /** Starts a run whose slow node blocks on a gate that ignores the signal; resolves once it is running. */
  async function startBlocked(ex: Executor, slow: { wait: (s: AbortSignal) => Promise<void> }) {
    const g = gate();
    slow.wait = () => g.promise;
    const ctl = new AbortController();
    let running!: () => void;
    const isRunning = new Promise<void>((r) => { running = r; });
    const events: NodeEvent[] = [];
    const result = ex.run(slowChain, {
      signal: ctl.signal,
      onEvent: (e) => { events.push(e); if (e.nodeId === '2' && e.state === 'running') running(); },
    });
    await isRunning;
    return { ctl, result, gate: g, events };
  }

  it('abandons the node in flight, caches nothing partial, and a re-run gives the right result', async () => {
    const { ex, calls, slow } = setup();
    const run = await startBlocked(ex, slow);
    run.ctl.abort();
    const err = await run.result.catch((e) => e);
    expect(err).toBeInstanceOf(RunCancelledError);
    expect(err.name).toBe('AbortError');
    expect(err.message).toBe('run cancelled at node 2 (toy/slow) (1 of 3 nodes had finished)');
    expect(run.events.filter((e) => e.state === 'skipped')).toEqual([
      { nodeId: '2', state: 'skipped', reason: 'run cancelled' },
      { nodeId: '3', state: 'skipped', reason: 'run cancelled' },
    ]);
    // The abandoned node finishes late; its result must not enter the cache.
    run.gate.open();
    await nextTick();
    expect(ex.cache.size).toBe(1); // only node 1

    slow.wait = async () => {};
    const r = await ex.run(slowChain);
    expect(r.values.get('3')).toEqual({ s: '#30' });
    expect(r.cached).toEqual(['1']);
    expect(calls).toEqual({ 1: 1, 2: 2, 3: 1 });
  });

  it('survives two cancellations in a row, then runs', async () => {
    const { ex, slow } = setup();
    for (let i = 0; i < 2; i++) {
      const run = await startBlocked(ex, slow);
      run.ctl.abort();
      await expect(run.result).rejects.toBeInstanceOf(RunCancelledError);
    }
    slow.wait = async () => {};
    expect((await ex.run(slowChain)).values.get('3')).toEqual({ s: '#30' });
  });

  it('passes the signal to nodes, and refuses to start with an aborted one', async () => {
    const { ex, slow, calls } = setup();
    let seen: AbortSignal | undefined;
    slow.wait = async (s) => { seen = s; };
    const ctl = new AbortController();
    await ex.run(slowChain, { signal: ctl.signal });
    expect(seen).toBe(ctl.signal);
    ctl.abort();
    await expect(ex.run(chain(), { signal: ctl.signal })).rejects.toThrow('run cancelled before it started');
    expect(calls[4]).toBeUndefined();
  });
});
