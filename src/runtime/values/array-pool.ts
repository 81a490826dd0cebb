/**
 * Large Float32Arrays that a warm process reuses from one photo to the next instead of allocating
 * new ones. Why: a dropped array's memory is freed only at V8's next major GC, so each photo of a
 * batch worker allocated its big outputs (SP-Diffuse's 16.8 MB diffused features, the backbone's
 * 16.8 MB features) while the previous photos' copies still waited for that GC; the heap then grew
 * onto fresh pages, and a first touch of fresh memory costs about 3 ms per MB on our VMs (a ~50 ms
 * stall in about one photo of three; bench/README.md, "Fresh-page stalls").
 *
 * The rules that keep reuse safe:
 * - `take` hands out an array of exactly the length asked for, holding whatever it last held: only
 *   for outputs whose every element the caller writes.
 * - Only arrays `take` made come back, and only through `give` from an owner that knows nothing
 *   reads them any more: `Executor.recycle()`, called by a batch worker once a photo's results are
 *   written. Nothing is ever taken back on its own (not on cache eviction, not by a GC).
 * - A process that never gives anything back (the editor, a one-photo run) gets plain new arrays.
 */

/** Arrays below this size are left to the GC: their fresh pages cost little. */
const MIN_BYTES = 1 << 20;
/** At most this many bytes wait for reuse; more are dropped for the GC (e.g. after a change of working size). */
const MAX_IDLE_BYTES = 256 * 2 ** 20;

export class ArrayPool {
  /** Arrays this pool made (and so may take back). */
  private readonly made = new WeakSet<Float32Array>();
  /** Arrays given back and not yet taken again, by length. */
  private readonly idle = new Map<number, Float32Array[]>();
  private readonly idleSet = new Set<Float32Array>();
  private idleBytes = 0;
  private gaveBack = false;
  /** Makes the new arrays, where something better than `new Float32Array` was given (allocateWith). */
  private allocate?: (length: number) => Float32Array;

  constructor(
    readonly minBytes = MIN_BYTES,
    readonly maxIdleBytes = MAX_IDLE_BYTES,
  ) {}

  /** True once an owner has given arrays back: from then on copying into pooled arrays pays (see ort-node.ts). */
  get reusing(): boolean {
    return this.gaveBack;
  }

  /** Bytes waiting for reuse. */
  get idleByteLength(): number {
    return this.idleBytes;
  }

  /** An array of `length` floats, a given-back one if there is one; its contents are not zeroed then. */
  take(length: number): Float32Array {
    const reused = this.idle.get(length)?.pop();
    if (reused) {
      this.idleSet.delete(reused);
      this.idleBytes -= reused.byteLength;
      return reused;
    }
    if (4 * length < this.minBytes) return new Float32Array(length);
    const fresh = this.allocate?.(length) ?? new Float32Array(length);
    this.made.add(fresh);
    return fresh;
  }

  /**
   * From now on, new arrays come from `allocate` (zeroed, of the length asked for): the native
   * addon's are 64-byte aligned and on huge pages (native/addon.c).
   */
  allocateWith(allocate: (length: number) => Float32Array): void {
    this.allocate = allocate;
  }

  /** Whether `a` came from `take` (and may be given back). */
  owns(a: unknown): a is Float32Array {
    return a instanceof Float32Array && this.made.has(a);
  }

  /**
   * Takes arrays back for reuse; arrays this pool did not make, and arrays already given back, are
   * ignored. The caller promises that nothing reads or writes them any more.
   */
  give(arrays: Iterable<Float32Array>): void {
    for (const a of arrays) {
      if (!this.made.has(a) || this.idleSet.has(a)) continue;
      this.gaveBack = true;
      if (this.idleBytes + a.byteLength > this.maxIdleBytes) continue; // left to the GC
      let list = this.idle.get(a.length);
      if (!list) this.idle.set(a.length, (list = []));
      list.push(a);
      this.idleSet.add(a);
      this.idleBytes += a.byteLength;
    }
  }
}

/** The process's pool: the CPU kernels and onnxruntime-node's outputs take from it, `Executor.recycle` gives to it. */
export const arrayPool = new ArrayPool();
