import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cacheKey, canonicalJson, NonJsonError, type KeyMaterial } from './cache-key.ts';
import { sha256Hex } from './sha256.ts';

describe('sha256Hex', () => {
  it('matches the FIPS test vector for "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches node:crypto across padding boundaries and UTF-8 text', () => {
    // Long texts before short ones too: the scratch it keeps between calls must not leak into the next hash.
    const texts = ['', 'é€😀 Lab', ...[55, 56, 63, 64, 65, 119, 120, 1000, 7000, 3, 200].map((n) => 'x'.repeat(n)), '😀'.repeat(900), 'a'];
    for (const t of texts) expect(sha256Hex(t), `length ${t.length}`).toBe(createHash('sha256').update(t, 'utf8').digest('hex'));
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every depth and drops undefined properties', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 'q' }], c: true }, u: undefined })).toBe(
      '{"a":{"c":true,"d":[1,{"y":"q","z":0}]},"b":1}');
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('rejects values that are not plain JSON, naming the path', () => {
    const bad: [unknown, string][] = [
      [{ a: NaN }, 'params.a is NaN'],
      [{ a: [1, Infinity] }, 'params.a[1] is Infinity'],
      [{ f: () => 1 }, 'params.f is a function'],
      [{ t: new Float32Array(2) }, 'params.t is a Float32Array'],
      [{ m: new Map() }, 'params.m is a Map'],
      [[1, undefined], 'params[1] is undefined'],
      [{ n: 10n }, 'params.n is a bigint'],
    ];
    for (const [v, msg] of bad) {
      expect(() => canonicalJson(v, 'params')).toThrow(NonJsonError);
      expect(() => canonicalJson(v, 'params')).toThrow(msg);
    }
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop, 'params')).toThrow('params.self refers back to itself');
  });

  it('writes deep values and long arrays as JSON.stringify does with sorted keys', () => {
    let deep: unknown = [1, { b: 'x', a: -0 }];
    for (let i = 0; i < 40; i++) deep = i % 2 ? [deep, i] : { z: i, a: deep }; // past the quick writer's depth
    const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object'
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v);
    for (const v of [deep, Array.from({ length: 500 }, (_, i) => ({ i, s: `é${i}`, f: i / 7 }))]) {
      expect(canonicalJson(v)).toBe(JSON.stringify(sorted(v)));
    }
    let tooDeep: Record<string, unknown> = {};
    const root = tooDeep;
    for (let i = 0; i < 40; i++) tooDeep = (tooDeep.next = {}) as Record<string, unknown>;
    tooDeep.bad = NaN;
    expect(() => canonicalJson(root, 'params')).toThrow(`params${'.next'.repeat(40)}.bad is NaN`);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { a: 1 };
    expect(canonicalJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });
});

describe('cacheKey', () => {
  const m: KeyMaterial = { type: 'toy/add', version: 1, params: { k: 1, j: 2 }, upstream: { a: ['abc', 0] as const } };

  it('is a stable hash independent of key order', () => {
    expect(cacheKey(m)).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...m, params: { j: 2, k: 1 } })).toBe(cacheKey(m));
  });

  it('changes with every part of the material', () => {
    const k = cacheKey(m);
    const variants: KeyMaterial[] = [
      { ...m, type: 'toy/sub' },
      { ...m, version: 2 },
      { ...m, params: { k: 2, j: 2 } },
      { ...m, upstream: { a: ['abd', 0] as const } },
      { ...m, upstream: { a: ['abc', 1] as const } },
      { ...m, upstream: { b: ['abc', 0] as const } },
      { ...m, fingerprint: 'f' },
      { ...m, salt: 's' },
    ];
    const keys = variants.map(cacheKey);
    expect(new Set([k, ...keys]).size).toBe(variants.length + 1);
  });
});
