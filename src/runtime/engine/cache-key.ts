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
  return write(value, path, new Set());
}

function write(v: unknown, path: string, open: Set<object>): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new NonJsonError(path, `is ${v}, which is not a finite number`);
      return JSON.stringify(v); // -0 prints as 0
    case 'object':
      break;
    default:
      throw new NonJsonError(path, `is a ${typeof v}`);
  }
  const obj = v as object;
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
