/**
 * Node outputs by cache key, least recently used first out, bounded by bytes. A value's size comes
 * from its port ValueType. When an entry leaves, the GPU tensors it owned are released through a
 * callback, except those another live entry still holds (a node may pass an input through).
 * Entries can be pinned while a run still needs their values; pinned entries are not evicted.
 * `recycle` empties the cache and hands its pooled CPU arrays back for reuse (array-pool.ts).
 */
import { arrayPool, type ArrayPool } from '../values/array-pool.ts';
import type { GpuTensor } from '../values/tensor.ts';
import type { ValueType } from '../values/value-types.ts';
import type { Values } from './node-def.ts';

export interface ValueCacheOptions {
  /** Byte budget for all entries (default 1 GiB). */
  readonly maxBytes?: number;
  /** Frees GPU tensors no live entry holds any more (default: destroy their buffers). */
  readonly release?: (tensors: GpuTensor[]) => void;
  /** Where `recycle` gives pooled CPU arrays back (default: the process's pool). */
  readonly pool?: ArrayPool;
}

interface Entry {
  readonly values: Values;
  readonly bytes: number;
  readonly gpu: readonly GpuTensor[];
  /** CPU arrays from the array pool, given back by `recycle`. */
  readonly pooled: readonly Float32Array[];
}

const destroyBuffers = (ts: GpuTensor[]): void => {
  for (const t of ts) t.buffer.destroy();
};

export class ValueCache {
  readonly maxBytes: number;
  private readonly release: (tensors: GpuTensor[]) => void;
  private readonly pool: ArrayPool;
  /** Map iteration order is the LRU order: first = least recently used. */
  private readonly entries = new Map<string, Entry>();
  private readonly pins = new Map<string, number>();
  /** How many entries hold each GPU buffer. */
  private readonly holders = new Map<GPUBuffer, number>();
  private used = 0;

  constructor(opts: ValueCacheOptions = {}) {
    const max = opts.maxBytes ?? 2 ** 30;
    if (!(max >= 0)) throw new Error(`cache budget must be a non-negative number of bytes, got ${max}`);
    this.maxBytes = max;
    this.release = opts.release ?? destroyBuffers;
    this.pool = opts.pool ?? arrayPool;
  }

  /** Bytes held by all entries. */
  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The values stored under key, marking the entry as most recently used. */
  get(key: string): Values | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.values;
  }

  /**
   * Stores a node's outputs; `types` gives each output's port type, for its size and tensors.
   * Returns false (storing nothing) when the entry alone exceeds the budget. Evicts as needed.
   */
  set(key: string, values: Values, types: Readonly<Record<string, ValueType<any>>>): boolean {
    let bytes = 0;
    const gpu: GpuTensor[] = [];
    const pooled: Float32Array[] = [];
    for (const [name, v] of Object.entries(values)) {
      const type = types[name];
      if (!type) throw new Error(`cannot size output "${name}": no port type given for it`);
      bytes += type.bytes(v);
      for (const t of type.tensors(v)) {
        if (t.location === 'gpu') gpu.push(t);
        else if (this.pool.owns(t.data)) pooled.push(t.data);
      }
    }
    if (bytes > this.maxBytes) return false;
    if (this.entries.has(key)) this.delete(key);
    this.entries.set(key, { values, bytes, gpu, pooled });
    this.used += bytes;
    for (const t of new Set(gpu.map((t) => t.buffer))) this.holders.set(t, (this.holders.get(t) ?? 0) + 1);
    this.trim(key);
    return true;
  }

  /** Removes an entry (pinned or not) and releases its GPU tensors that nothing else holds. */
  delete(key: string): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    this.entries.delete(key);
    this.used -= e.bytes;
    const free: GpuTensor[] = [];
    const seen = new Set<GPUBuffer>();
    for (const t of e.gpu) {
      if (seen.has(t.buffer)) continue;
      seen.add(t.buffer);
      const n = (this.holders.get(t.buffer) ?? 1) - 1;
      if (n > 0) this.holders.set(t.buffer, n);
      else {
        this.holders.delete(t.buffer);
        free.push(t);
      }
    }
    if (free.length) this.release(free);
    return true;
  }

  clear(): void {
    for (const k of [...this.entries.keys()]) this.delete(k);
  }

  /**
   * Empties the cache (GPU tensors released as by `delete`) and gives the pool-made CPU arrays of its
   * values back to the pool, where later runs overwrite them. Only for an owner that reads none of
   * these values again, e.g. a batch worker once a photo's results are written; refused while a run
   * holds entries (pinned).
   */
  recycle(): void {
    if (this.pins.size) throw new Error('cannot recycle the value cache while a run is using it');
    const arrays = [...this.entries.values()].flatMap((e) => e.pooled);
    this.clear();
    this.pool.give(arrays);
  }

  /** Keeps an entry from eviction until as many unpin calls. Pinning a missing key is allowed. */
  pin(key: string): void {
    this.pins.set(key, (this.pins.get(key) ?? 0) + 1);
  }

  unpin(key: string): void {
    const n = (this.pins.get(key) ?? 0) - 1;
    if (n > 0) this.pins.set(key, n);
    else this.pins.delete(key);
    this.trim();
  }

  /**
   * Evicts least recently used, unpinned entries until the budget holds (or only pinned ones remain).
   * `keep` is spared: a value just stored may already be in use by its caller.
   */
  trim(keep?: string): void {
    if (this.used <= this.maxBytes) return;
    for (const key of [...this.entries.keys()]) {
      if (this.used <= this.maxBytes) break;
      if (key !== keep && !this.pins.has(key)) this.delete(key);
    }
  }
}
