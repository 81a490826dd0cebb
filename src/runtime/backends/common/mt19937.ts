/**
 * numpy's legacy `RandomState` generator (MT19937), enough of it to reproduce the index draws of the
 * DISCO anchor locator exactly (docs/disco-method.md §9): `np.random.seed(s)` then
 * `np.random.choice(n, k, replace=False)`.
 *
 * - Seeding is Matsumoto–Nishimura `init_genrand` (numpy's `mt19937_seed` for an integer seed).
 * - `bounded(m)` is numpy's legacy `random_interval`: mask `m` to its bit width and redraw until <= m.
 * - `permutation(n)` is legacy `shuffle` of 0..n-1: Fisher–Yates from the end with `bounded(i)`.
 * - `choice(n, k)` without replacement is the first k entries of `permutation(n)` (legacy behaviour,
 *   not the Floyd/"tail shuffle" of numpy's newer Generator API).
 */
const N = 624;
const M = 397;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;
const MATRIX_A = 0x9908b0df;

export class MT19937 {
  private readonly mt: Uint32Array;
  private pos: number;

  /** `from`: a generator to copy the state of (see clone), instead of seeding. */
  constructor(seed: number, from?: MT19937) {
    if (from) {
      this.mt = from.mt.slice();
      this.pos = from.pos;
      return;
    }
    this.mt = new Uint32Array(N);
    this.pos = N;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new Error(`MT19937 seed must be an integer in 0..2^32-1, got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev mod 2^32, done in 16-bit halves so no bits are lost in a double.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** A generator in the same state, drawing the same numbers from here on, independently. */
  clone(): MT19937 {
    return new MT19937(0, this);
  }

  /** The next raw 32-bit output (tempered). */
  nextU32(): number {
    if (this.pos >= N) this.twist();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in 0..m (inclusive), m < 2^32, by masked rejection (numpy legacy). */
  bounded(m: number): number {
    if (m === 0) return 0;
    let mask = m;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v: number;
    do v = (this.nextU32() & mask) >>> 0;
    while (v > m);
    return v;
  }

  /** A uniform double in [0, 1) with 53 random bits (numpy legacy `random_sample`). */
  random(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A random permutation of 0..n-1 (numpy legacy `permutation(n)`). */
  permutation(n: number): Int32Array {
    const x = new Int32Array(n);
    for (let i = 0; i < n; i++) x[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const j = this.bounded(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    return x;
  }

  /** k distinct indices out of 0..n-1 (numpy legacy `choice(n, k, replace=False)`). */
  choice(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) throw new Error(`cannot choose ${k} distinct values out of ${n}`);
    return this.permutation(n).slice(0, k);
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & UPPER) | (mt[(i + 1) % N] & LOWER);
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.pos = 0;
  }
}
