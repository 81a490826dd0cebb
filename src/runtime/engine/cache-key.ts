/**
 * Content-addressed cache keys. A node's key hashes what determines its outputs: type id, version,
 * parameter values (canonical JSON), the keys and slots of its upstream values, and the node's own
 * fingerprint (e.g. a file hash). Keys are computed bottom-up, so a changed parameter changes the key
 * of that node and of everything downstream, and undoing the change gives the old keys back.
 */
import { sha256Hex } from './sha256.ts';

export class NonJsonError extends Error {
  constructor(readonly path: string, problem: string) {
    super(`${path} ${problem}; only plain JSON values (null, booleans, finite numbers, strings, arrays, plain objects) are allowed`);
    this.name = 'NonJsonError';
  }
}

/** JSON with object keys sorted at every depth. Throws NonJsonError (naming the path) on anything else. */
export function canonicalJson(value: unknown, path = 'value'): string {
  // Most values are plain JSON: written without the path strings and cycle set that only a problem
  // needs (they were most of a run's cache-key time); anything else is written again, carefully.
  return quick(value, 0) ?? write(value, path, new Set());
}

/** Deeper than this, quick() leaves the value to write() (which also finds cycles). */
const QUICK_DEPTH = 32;

/** write()'s text for plain JSON no deeper than QUICK_DEPTH, else undefined. */
function quick(v: unknown, depth: number): string | undefined {
  const text = scalarJson(v);
  if (text !== undefined) return text;
  if (v === null || typeof v !== 'object' || depth >= QUICK_DEPTH) return undefined;
  let out: string;
  if (Array.isArray(v)) {
    out = '[';
    for (let i = 0; i < v.length; i++) {
      const x = v[i] === undefined ? undefined : quick(v[i], depth + 1);
      if (x === undefined) return undefined;
      out += i ? `,${x}` : x;
    }
    return `${out}]`;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const rec = v as Record<string, unknown>;
  out = '{';
  for (const k of Object.keys(rec).sort()) {
    if (rec[k] === undefined) continue;
    const x = quick(rec[k], depth + 1);
    if (x === undefined) return undefined;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${x}`;
  }
  return `${out}}`;
}

/** The JSON text of null, a boolean, a string or a finite number (-0 prints as 0); undefined for anything else. */
function scalarJson(v: unknown): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : undefined;
    default:
      return undefined;
  }
}

function write(v: unknown, path: string, open: Set<object>): string {
  const text = scalarJson(v);
  if (text !== undefined) return text;
  if (typeof v === 'number') throw new NonJsonError(path, `is ${v}, which is not a finite number`);
  if (v === null || typeof v !== 'object') throw new NonJsonError(path, `is a ${typeof v}`);
  const obj = v;
  if (open.has(obj)) throw new NonJsonError(path, 'refers back to itself (a cycle)');
  open.add(obj);
  try {
    if (Array.isArray(obj)) {
      return `[${obj.map((x, i) => {
        if (x === undefined) throw new NonJsonError(`${path}[${i}]`, 'is undefined');
        return write(x, `${path}[${i}]`, open);
      }).join(',')}]`;
    }
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      throw new NonJsonError(path, `is a ${obj.constructor?.name ?? 'non-plain object'}`);
    }
    const rec = obj as Record<string, unknown>;
    // Like JSON.stringify, properties set to undefined are left out.
    const parts = Object.keys(rec).sort()
      .filter((k) => rec[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${write(rec[k], `${path}.${k}`, open)}`);
    return `{${parts.join(',')}}`;
  } finally {
    open.delete(obj);
  }
}

export interface KeyMaterial {
  readonly type: string;
  readonly version: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** For each connected input: the cache key of the source node and the output slot used. */
  readonly upstream: Readonly<Record<string, readonly [sourceKey: string, slot: number]>>;
  readonly fingerprint?: string;
  /** Extra material, e.g. a 'bypass' marker or a per-run nonce for nodes that are never cached. */
  readonly salt?: string;
}

export function cacheKey(m: KeyMaterial): string {
  const body = canonicalJson({
    t: m.type, v: m.version, p: m.params, u: m.upstream, f: m.fingerprint ?? null, s: m.salt ?? null,
  }, 'key material');
  return sha256Hex(body);
}
