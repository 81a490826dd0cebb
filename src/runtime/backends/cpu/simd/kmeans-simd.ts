/**
 * The WebAssembly SIMD assignment step of the Anchor Locator's k-means (kmeans.as.ts): four centres
 * per float32x4, every step rounded to float32 as in the scalar definition (cpu/kmeans.ts), so the
 * labels are the same. Null where WebAssembly SIMD is missing; the caller then uses the TypeScript loop.
 */
import { ensureBytes, instantiateModule } from './instantiate.ts';
import { WASM_BASE64 } from './kmeans.wasm.ts';

interface Exports {
  assign(x: number, centres: number, labels: number, n: number, c: number, k: number, dist: number): void;
  assignSum(x: number, centres: number, labels: number, n: number, c: number, k: number, sums: number, counts: number, dist: number): void;
}

/** labels[t] = index of the nearest of the k centres (k x c, row-major) to token row t of x (n x c). */
export type AssignKernel = (x: Float32Array, n: number, c: number, centres: Float32Array, k: number) => Int32Array;

/** A Lloyd step's assignment with each centre's member sums (float64, k x c) and counts. */
export interface AssignedSums {
  readonly labels: Int32Array;
  /** Views of the module's memory: read them before the next call. */
  readonly sums: Float64Array;
  readonly counts: Int32Array;
}

/**
 * The same assignment, and the member sums in the same pass. The tokens are copied in once per
 * `owner` (one k-means run, whose tokens do not change): each call of another owner, or of the
 * plain kernel, copies its own in.
 */
export type AssignSumKernel = (x: Float32Array, n: number, c: number, centres: Float32Array, k: number, owner: object) => AssignedSums;

let loaded: { assign: AssignKernel; assignSum: AssignSumKernel } | null | undefined;

export function simdAssign(): AssignKernel | null {
  if (loaded === undefined) loaded = load();
  return loaded?.assign ?? null;
}

export function simdAssignSum(): AssignSumKernel | null {
  if (loaded === undefined) loaded = load();
  return loaded?.assignSum ?? null;
}

function load(): typeof loaded {
  const module = instantiateModule<Exports>(WASM_BASE64);
  if (!module) return null;
  const { memory, wasm } = module;
  /** Whose tokens are at the start of the memory. */
  let resident: object | undefined;

  /** Tokens, centres (channel-major, groups of four), labels, then sums, counts and two tokens' distances: byte offsets. */
  const place = (x: Float32Array, n: number, c: number, centres: Float32Array, k: number, owner: object | undefined) => {
    const groups = (k + 3) >> 2;
    const cAt = (n * c + 3) & ~3, lAt = cAt + c * groups * 4; // float32 indices, 16-byte aligned
    const sAt = 4 * ((lAt + n + 3) & ~3), kAt = sAt + 8 * k * c, dAt = (kAt + 4 * k + 15) & ~15; // bytes
    ensureBytes(memory, dAt + 2 * 16 * groups);
    const f32 = new Float32Array(memory.buffer);
    if (owner === undefined || owner !== resident) f32.set(x.subarray(0, n * c), 0);
    resident = owner;
    f32.fill(0, cAt, lAt);
    for (let j = 0; j < k; j++) {
      for (let ch = 0; ch < c; ch++) f32[cAt + ch * groups * 4 + j] = centres[j * c + ch];
    }
    return { centresAt: 4 * cAt, labelsAt: 4 * lAt, sumsAt: sAt, countsAt: kAt, distAt: dAt };
  };

  return {
    assign(x, n, c, centres, k) {
      const at = place(x, n, c, centres, k, undefined);
      wasm.assign(0, at.centresAt, at.labelsAt, n, c, k, at.distAt);
      return new Int32Array(memory.buffer, at.labelsAt, n).slice();
    },
    assignSum(x, n, c, centres, k, owner) {
      const at = place(x, n, c, centres, k, owner);
      wasm.assignSum(0, at.centresAt, at.labelsAt, n, c, k, at.sumsAt, at.countsAt, at.distAt);
      return {
        labels: new Int32Array(memory.buffer, at.labelsAt, n).slice(),
        sums: new Float64Array(memory.buffer, at.sumsAt, k * c),
        counts: new Int32Array(memory.buffer, at.countsAt, k),
      };
    },
  };
}
