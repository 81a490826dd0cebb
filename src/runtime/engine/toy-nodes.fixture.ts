/**
 * Tiny node types on numbers and strings for the engine's tests. Each call to makeToys() gives a fresh
 * registry and a counter of execute calls per node id, so tests can tell cache hits from re-runs.
 */
import type { GpuTensor } from '../values/tensor.ts';
import type { ValueType } from '../values/value-types.ts';
import { defineNode, float, int, json, type NodeDef } from './node-def.ts';
import { NodeRegistry } from './registry.ts';

export const NUM: ValueType<number> = {
  name: 'NUM', color: '#fff', bytes: () => 8, describe: (v) => `number ${v}`, tensors: () => [],
};
export const STR: ValueType<string> = {
  name: 'STR', color: '#000', bytes: (v) => 2 * v.length, describe: (v) => `text "${v}"`, tensors: () => [],
};

/** A fake GPU tensor whose buffer records destroy() calls. */
export function fakeGpuTensor(bytes: number): GpuTensor & { destroyed: () => boolean } {
  let destroyed = false;
  const buffer = { destroy: () => { destroyed = true; } } as unknown as GPUBuffer;
  return { location: 'gpu', dtype: 'float32', shape: [bytes / 4], buffer, destroyed: () => destroyed };
}
export interface Blob { readonly t: GpuTensor }
export const BLOB: ValueType<Blob> = {
  name: 'BLOB', color: '#888', bytes: (v) => v.t.shape[0] * 4, describe: () => 'blob', tensors: (v) => [v.t],
};

/** A promise the test resolves by hand. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => { open = r; });
  return { promise, open };
}

const base = { version: 1, category: 'test', description: 'toy' } as const;

export function makeToys() {
  const calls: Record<string, number> = {};
  const count = (id: string) => { calls[id] = (calls[id] ?? 0) + 1; };
  /** Set by tests: what toy/slow awaits (defaults to nothing). */
  const slow = { wait: async (_signal: AbortSignal): Promise<void> => {} };

  const defs: NodeDef[] = [
    defineNode({
      ...base, id: 'toy/num', displayName: 'Number', inputs: {}, params: { value: float({ default: 0 }) }, outputs: { n: { type: NUM } },
      execute: (ctx, _i, p) => { count(ctx.nodeId); return { n: p.value as number }; },
    }),
    defineNode({
      ...base, id: 'toy/add', displayName: 'Add',
      inputs: { a: { type: NUM }, b: { type: NUM, optional: true } },
      params: { k: int({ default: 0, min: 0, max: 10 }) },
      outputs: { sum: { type: NUM } },
      execute: (ctx, i, p) => { count(ctx.nodeId); return { sum: (i.a as number) + ((i.b as number | undefined) ?? 0) + (p.k as number) }; },
    }),
    defineNode({
      ...base, id: 'toy/to-str', displayName: 'To text', inputs: { n: { type: NUM } }, params: {}, outputs: { s: { type: STR } },
      execute: (ctx, i) => { count(ctx.nodeId); return { s: `#${i.n}` }; },
    }),
    defineNode({
      ...base, id: 'toy/show', displayName: 'Show', isOutput: true, inputs: { s: { type: STR } }, params: {}, outputs: {},
      execute: (ctx) => { count(ctx.nodeId); return {}; },
    }),
    defineNode({
      ...base, id: 'toy/fail', displayName: 'Fail', inputs: { n: { type: NUM } }, params: {}, outputs: { n: { type: NUM } },
      execute: (ctx) => { count(ctx.nodeId); throw new Error('boom'); },
    }),
    defineNode({
      ...base, id: 'toy/slow', displayName: 'Slow', inputs: { n: { type: NUM } }, params: {}, outputs: { n: { type: NUM } },
      execute: async (ctx, i) => {
        count(ctx.nodeId);
        ctx.progress(0, 2);
        await slow.wait(ctx.signal);
        ctx.progress(1, 2);
        ctx.warn('took its time');
        ctx.progress(2, 2);
        return { n: (i.n as number) * 10 };
      },
    }),
    defineNode({
      ...base, id: 'toy/rand', displayName: 'Random', notIdempotent: true, inputs: {}, params: {}, outputs: { n: { type: NUM } },
      execute: (ctx) => { count(ctx.nodeId); return { n: calls[ctx.nodeId] }; },
    }),
    defineNode({
      ...base, id: 'toy/range', displayName: 'Range', inputs: {},
      params: { lo: int({ default: 0 }), hi: int({ default: 1 }), meta: json({ default: {} }) },
      outputs: { n: { type: NUM } },
      validate: (p) => ((p.lo as number) < (p.hi as number) ? undefined : `lo (${p.lo}) must be below hi (${p.hi})`),
      execute: (ctx, _i, p) => { count(ctx.nodeId); return { n: (p.hi as number) - (p.lo as number) }; },
    }),
    defineNode({
      ...base, id: 'toy/half', displayName: 'Half-done', inputs: {}, params: {}, outputs: { a: { type: NUM }, b: { type: NUM } },
      execute: (ctx) => { count(ctx.nodeId); return { a: 1 } as never; }, // no b, on purpose
    }),
    defineNode({
      ...base, id: 'toy/blob', displayName: 'Blob', inputs: {}, params: { size: int({ default: 16 }) }, outputs: { b: { type: BLOB } },
      execute: (ctx, _i, p) => { count(ctx.nodeId); return { b: { t: fakeGpuTensor(p.size as number) } }; },
    }),
  ];
  return { registry: new NodeRegistry(defs), calls, slow };
}
