/**
 * OpenCV's float Lab -> RGB to RGBA bytes in WebAssembly (lab.as.ts): native float32 arithmetic
 * instead of Math.fround chains, the same bytes as cpu/lab.ts's loops. Null where WebAssembly is
 * missing; the caller then uses the TypeScript loops. Rows go through in chunks, so the module's
 * memory stays about 1 MB whatever the image size.
 */
import {
  F_16_116, F_6_29, F_7787, F_9033, GAMMA_TAB_SIZE, invGammaSplineTab, XYZ2RGB_F,
} from '../../shared/opencv-lab-tables.ts';
import { WASM_BASE64 } from './lab.wasm.ts';

interface Exports {
  labToRgba(L: number, a: number, b: number, out: number, n: number, width: number, simdCols: number, abScale: number, k: number, tab: number, size: number): void;
}

/** Lab planes of a `width`-wide image -> RGBA bytes into `out` (4 per pixel). */
export type LabToRgbaKernel = (L: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, width: number, simdCols: number, abScale: number, out: Uint8ClampedArray) => void;

const f = Math.fround;
const CHUNK_PIXELS = 65536;

let loaded: LabToRgbaKernel | null | undefined;

export function wasmLabToRgba(): LabToRgbaKernel | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

function load(): LabToRgbaKernel | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = Uint8Array.from(atob(WASM_BASE64), (ch) => ch.charCodeAt(0));
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 1 });
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as Exports;
  const tab = invGammaSplineTab();
  // Constants (the order lab.as.ts reads them), the gamma spline table, then the chunk's planes and bytes.
  const consts = [F_9033, F_7787, F_16_116, F_6_29, f(1 / F_9033), f(1 / 116), f(1 / 500), f(-1 / 200), f(1 / F_7787), ...XYZ2RGB_F];
  const kAt = 0, tabAt = 4 * 32, planesAt = tabAt + 4 * tab.length; // bytes
  const bytesNeeded = planesAt + 16 * CHUNK_PIXELS;
  memory.grow(Math.ceil(bytesNeeded / 65536) - 1);
  new Float32Array(memory.buffer, kAt, consts.length).set(consts);
  new Float32Array(memory.buffer, tabAt, tab.length).set(tab);

  return (L, a, b, width, simdCols, abScale, out) => {
    const n = L.length;
    const rows = Math.max(1, Math.floor(CHUNK_PIXELS / width));
    for (let p0 = 0; p0 < n; p0 += rows * width) {
      const m = Math.min(rows * width, n - p0);
      const f32 = new Float32Array(memory.buffer, planesAt, 3 * m);
      for (let i = 0; i < m; i++) {
        f32[i] = L[p0 + i];
        f32[m + i] = a[p0 + i];
        f32[2 * m + i] = b[p0 + i];
      }
      const outAt = planesAt + 12 * m;
      wasm.labToRgba(planesAt, planesAt + 4 * m, planesAt + 8 * m, outAt, m, width, simdCols, abScale, kAt, tabAt, GAMMA_TAB_SIZE);
      out.set(new Uint8Array(memory.buffer, outAt, 4 * m), 4 * p0);
    }
  };
}
