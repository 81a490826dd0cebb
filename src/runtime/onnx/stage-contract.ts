/**
 * The fixed graph contract of DISCO's five learned stages (docs/disco-method.md §1, §14): which named tensors each
 * ONNX file takes and gives, and their shapes. Numbers are fixed sizes; letters are dynamic sizes that
 * must agree across one run's tensors (N batch, H x W pixels, h x w tokens). The exporter in
 * `training/` writes exactly this; the model host refuses files and feeds that do not match it.
 */
export const STAGE_NAMES = ['spixelnet', 'backbone', 'color_modeler', 'color_generator', 'refiner'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export type Dim = number | string;

export interface PortContract {
  readonly name: string;
  readonly shape: readonly Dim[];
}

export interface StageContract {
  readonly inputs: readonly PortContract[];
  readonly outputs: readonly PortContract[];
}

const BINS = 313;
const full = (name: string, c: number): PortContract => ({ name, shape: ['N', c, 'H', 'W'] });
const grid = (name: string, c: number): PortContract => ({ name, shape: ['N', c, 'h', 'w'] });

export const STAGE_CONTRACT: Readonly<Record<StageName, StageContract>> = {
  spixelnet: { inputs: [full('gray', 1)], outputs: [full('assoc', 9)] },
  backbone: { inputs: [full('gray', 1)], outputs: [full('features', 64)] },
  color_modeler: {
    inputs: [grid('tokens', 64), grid('pos', 64)],
    outputs: [grid('color_features', 64), grid('logits', BINS)],
  },
  color_generator: {
    inputs: [grid('tokens', 64), grid('pos', 64), grid('mask', 1), grid('onehot', BINS)],
    outputs: [grid('gen_tokens', 64), grid('aux_logits', BINS)],
  },
  refiner: { inputs: [full('gray', 1), full('features', 64)], outputs: [full('ab', 2)] },
};

export function isStageName(s: string): s is StageName {
  return (STAGE_NAMES as readonly string[]).includes(s);
}

export function assertStageName(s: string): StageName {
  if (!isStageName(s)) throw new Error(`"${s}" is not a DISCO model stage; the stages are ${STAGE_NAMES.join(', ')}`);
  return s;
}

export const showShape = (shape: readonly Dim[]): string => `[${shape.join(',')}]`;

/** Where two name lists differ, in words ("missing pos; unexpected image"), or undefined if equal as sets. */
export function nameDiff(expected: readonly string[], actual: readonly string[]): string | undefined {
  const missing = expected.filter((n) => !actual.includes(n));
  const extra = actual.filter((n) => !expected.includes(n));
  if (!missing.length && !extra.length) return undefined;
  const parts = [];
  if (missing.length) parts.push(`missing ${missing.map((n) => `"${n}"`).join(', ')}`);
  if (extra.length) parts.push(`unexpected ${extra.map((n) => `"${n}"`).join(', ')}`);
  return parts.join('; ');
}

/**
 * Checks a declared shape (from a manifest or an ONNX file's metadata) against the contract: same rank,
 * the contract's fixed sizes where it has them. A declared fixed size where the contract is dynamic is
 * accepted (a file exported without dynamic axes); feeds are then checked against it at run time.
 */
export function shapeConflict(contract: readonly Dim[], declared: readonly Dim[]): string | undefined {
  if (declared.length !== contract.length) return `rank ${declared.length}, the contract has rank ${contract.length}`;
  for (let i = 0; i < contract.length; i++) {
    const c = contract[i];
    const d = declared[i];
    if (typeof c === 'number' && d !== c) return `size ${JSON.stringify(d)} at axis ${i} where the contract fixes ${c}`;
  }
  return undefined;
}

/**
 * Checks run-time shapes against expected shapes whose letters must bind consistently (e.g. every
 * "h" the same number). Returns the first problem, naming the tensor, the expected and the actual shape.
 */
export function checkShapes(
  expected: readonly PortContract[],
  actual: Readonly<Record<string, readonly number[]>>,
  what: string,
): string | undefined {
  const bound = new Map<string, { size: number; from: string }>();
  for (const port of expected) {
    const got = actual[port.name];
    if (!got) continue; // missing names are reported by the caller
    const bad = (why: string): string =>
      `${what} "${port.name}" expects ${showShape(port.shape)}, got [${got.join(',')}] (${why})`;
    if (got.length !== port.shape.length) return bad(`rank ${got.length} instead of ${port.shape.length}`);
    for (let i = 0; i < got.length; i++) {
      const want = port.shape[i];
      if (typeof want === 'number') {
        if (got[i] !== want) return bad(`axis ${i} is ${got[i]}, not ${want}`);
        continue;
      }
      const prev = bound.get(want);
      if (!prev) bound.set(want, { size: got[i], from: port.name });
      else if (prev.size !== got[i]) return bad(`${want} is ${prev.size} in "${prev.from}" but ${got[i]} here`);
    }
  }
  return undefined;
}
