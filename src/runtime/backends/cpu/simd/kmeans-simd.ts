/**
 * The WebAssembly SIMD assignment step of the Anchor Locator's k-means (kmeans.as.ts): four centres
 * per float32x4, every step rounded to float32 as in the scalar definition (cpu/kmeans.ts), so the
 * labels are the same. Null where WebAssembly SIMD is missing; the caller then uses the TypeScript loop.
 */
import { instantiateModule } from './instantiate.ts';
import { WASM_BASE64 } from './kmeans.wasm.ts';

interface Exports {
  assign(x: number, centres: number, labels: number, n: number, c: number, k: number): void;
}

/** labels[t] = index of the nearest of the k centres (k x c, row-major) to token row t of x (n x c). */
export type AssignKernel = (x: Float32Array, n: number, c: number, centres: Float32Array, k: number) => Int32Array;

let loaded: AssignKernel | null | undefined;

export function simdAssign(): AssignKernel | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

function load(): AssignKernel | null {
  const module = instantiateModule<Exports>(WASM_BASE64);
  if (!module) return null;
  const { memory, wasm } = module;

  // Every call copies its inputs in: calls never share state, whatever runs between them.
  return (x, n, c, centres, k) => {
    const groups = (k + 3) >> 2;
    const cAt = (n * c + 3) & ~3, lAt = cAt + c * groups * 4; // float32 indices, 16-byte aligned
    const missing = 4 * (lAt + n) - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    const f32 = new Float32Array(memory.buffer);
    f32.set(x.subarray(0, n * c), 0);
    f32.fill(0, cAt, lAt);
    for (let j = 0; j < k; j++) {
      for (let ch = 0; ch < c; ch++) f32[cAt + ch * groups * 4 + j] = centres[j * c + ch];
    }
    wasm.assign(0, 4 * cAt, 4 * lAt, n, c, k);
    return new Int32Array(memory.buffer, 4 * lAt, n).slice();
  };
}
