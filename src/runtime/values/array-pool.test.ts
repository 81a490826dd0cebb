import { describe, expect, it } from 'vitest';
import { ArrayPool } from './array-pool.ts';

describe('ArrayPool', () => {
  it('hands a given-back array out again for the same length, and new zeroed arrays otherwise', () => {
    const pool = new ArrayPool(16, 1024);
    const a = pool.take(8);
    expect(a).toEqual(new Float32Array(8));
    a.fill(3);
    expect(pool.reusing).toBe(false);
    pool.give([a]);
    expect(pool.reusing).toBe(true);
    expect(pool.idleByteLength).toBe(32);
    expect(pool.take(9)).not.toBe(a);
    expect(pool.take(8)).toBe(a); // not zeroed: the caller overwrites it
    expect(pool.take(8)).not.toBe(a); // handed out once, not twice
    expect(pool.idleByteLength).toBe(0);
  });

  it('takes back only arrays it made, of at least its minimum size, each once', () => {
    const pool = new ArrayPool(16, 1024);
    const foreign = new Float32Array(8);
    const small = pool.take(2); // 8 bytes: left to the GC
    const a = pool.take(8);
    expect(pool.owns(foreign)).toBe(false);
    expect(pool.owns(small)).toBe(false);
    expect(pool.owns(a)).toBe(true);
    pool.give([foreign, small, a, a]); // e.g. one array held by two cache entries
    expect(pool.idleByteLength).toBe(32);
    expect(pool.take(8)).toBe(a);
    expect(pool.take(8)).not.toBe(a);
    expect(pool.take(8)).not.toBe(foreign);
  });

  it('keeps at most its idle budget and leaves the rest to the GC', () => {
    const pool = new ArrayPool(16, 64);
    const arrays = [pool.take(8), pool.take(8), pool.take(8)];
    pool.give(arrays);
    expect(pool.idleByteLength).toBe(64);
    expect(pool.take(8)).toBe(arrays[1]);
    expect(pool.take(8)).toBe(arrays[0]);
    expect(pool.take(8)).not.toBe(arrays[2]);
  });

  it('makes its arrays with the allocator it is given (the native aligned ones), small ones as before', () => {
    const pool = new ArrayPool(16, 1024);
    const made: number[] = [];
    pool.allocateWith((length) => {
      made.push(length);
      return new Float32Array(new ArrayBuffer(4 * length + 64), 48, length);
    });
    const a = pool.take(8), small = pool.take(2);
    expect(made).toEqual([8]);
    expect([a.byteOffset, a.length, small.byteOffset]).toEqual([48, 8, 0]);
    pool.give([a]);
    expect(pool.take(8)).toBe(a); // reused, not made again
    expect(made).toEqual([8]);
  });
});
