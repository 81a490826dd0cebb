import { describe, expect, it } from 'vitest';
import { ArrayPool } from '../values/array-pool.ts';
import { cpuTensor, type GpuTensor } from '../values/tensor.ts';
import { TENSOR } from '../values/value-types.ts';
import { BLOB, fakeGpuTensor, NUM } from './toy-nodes.fixture.ts';
import { ValueCache } from './value-cache.ts';

const blob = (bytes: number) => ({ b: { t: fakeGpuTensor(bytes) } });

describe('ValueCache', () => {
  it('evicts least recently used entries by bytes and releases their GPU tensors', () => {
    const released: GpuTensor[] = [];
    const cache = new ValueCache({ maxBytes: 100, release: (ts) => released.push(...ts) });
    const a = blob(40), b = blob(40), c = blob(40);
    cache.set('a', a, { b: BLOB });
    cache.set('b', b, { b: BLOB });
    expect(cache.bytes).toBe(80);
    expect(cache.get('a')).toBe(a); // a is now more recent than b
    cache.set('c', c, { b: BLOB });
    expect(cache.keys()).toEqual(['a', 'c']);
    expect(cache.bytes).toBe(80);
    expect(released).toEqual([b.b.t]);
  });

  it('destroys GPU buffers by default', () => {
    const cache = new ValueCache({ maxBytes: 50 });
    const a = blob(40);
    cache.set('a', a, { b: BLOB });
    cache.set('b', blob(40), { b: BLOB });
    expect(a.b.t.destroyed()).toBe(true);
    expect(cache.has('a')).toBe(false);
  });

  it('keeps a tensor alive while another entry holds it', () => {
    const released: GpuTensor[] = [];
    const cache = new ValueCache({ maxBytes: 100, release: (ts) => released.push(...ts) });
    const shared = blob(40);
    cache.set('x', shared, { b: BLOB });
    cache.set('y', { b: shared.b }, { b: BLOB }); // e.g. a node that passed its input through
    cache.delete('x');
    expect(released).toEqual([]);
    cache.delete('y');
    expect(released).toEqual([shared.b.t]);
  });

  it('does not store an entry larger than the whole budget', () => {
    const cache = new ValueCache({ maxBytes: 10 });
    expect(cache.set('big', blob(40), { b: BLOB })).toBe(false);
    expect(cache.set('n', { n: 1 }, { n: NUM })).toBe(true);
    expect(cache.keys()).toEqual(['n']);
  });

  it('does not evict pinned entries until they are unpinned', () => {
    const cache = new ValueCache({ maxBytes: 50, release: () => {} });
    cache.set('a', blob(40), { b: BLOB });
    cache.pin('a');
    cache.set('b', blob(40), { b: BLOB });
    expect(cache.keys()).toEqual(['a', 'b']);
    expect(cache.bytes).toBe(80);
    cache.unpin('a');
    expect(cache.keys()).toEqual(['b']);
  });

  it('says which output it cannot size', () => {
    const cache = new ValueCache();
    expect(() => cache.set('k', { n: 1, extra: 2 }, { n: NUM })).toThrow('cannot size output "extra"');
  });

  it('recycle empties the cache and gives back the pooled arrays of its values, and only those', () => {
    const pool = new ArrayPool(16, 1024);
    const released: GpuTensor[] = [];
    const cache = new ValueCache({ pool, release: (ts) => released.push(...ts) });
    const pooled = cpuTensor([1, 1, 2, 4], pool.take(8));
    const foreign = cpuTensor([1, 1, 2, 4]); // e.g. a decoded image or onnxruntime's own buffer
    const gpu = blob(40);
    cache.set('a', { t: pooled }, { t: TENSOR });
    cache.set('b', { t: pooled }, { t: TENSOR }); // a node that passed its input through
    cache.set('c', { t: foreign }, { t: TENSOR });
    cache.set('d', gpu, { b: BLOB });
    cache.recycle();
    expect(cache.size).toBe(0);
    expect(released).toEqual([gpu.b.t]);
    expect(pool.idleByteLength).toBe(32); // the pooled array, once; never the foreign one
    expect(pool.take(8)).toBe(pooled.data);
    expect(pool.take(8)).not.toBe(foreign.data);
  });

  it('gives nothing back on eviction or delete, and refuses to recycle while a run holds entries', () => {
    const pool = new ArrayPool(16, 1024);
    const cache = new ValueCache({ pool, maxBytes: 40 });
    cache.set('a', { t: cpuTensor([8], pool.take(8)) }, { t: TENSOR });
    cache.set('b', { t: cpuTensor([8], pool.take(8)) }, { t: TENSOR }); // evicts a
    cache.delete('b');
    expect(pool.idleByteLength).toBe(0);
    expect(pool.reusing).toBe(false);
    cache.set('c', { t: cpuTensor([8], pool.take(8)) }, { t: TENSOR });
    cache.pin('c');
    expect(() => cache.recycle()).toThrow('cannot recycle the value cache while a run is using it');
    expect(cache.has('c')).toBe(true);
    cache.unpin('c');
    cache.recycle();
    expect(pool.idleByteLength).toBe(32);
  });
});
