/**
 * The colour steps of whole images in WebAssembly (lab.as.ts): OpenCV's float RGB -> Lab of RGBA
 * bytes, its float Lab -> RGB to RGBA bytes, and the bilinear resize of float planes, with the same
 * bits as the TypeScript loops in cpu/lab.ts and cpu/resize.ts. Null where WebAssembly is missing;
 * the callers then use those loops. Work goes through the module's memory in strips of rows (inputs
 * copied in, results copied out), so the memory stays a few MB whatever the image size.
 */
import {
  CODE_U8, F_16_116, F_6_29, F_7787, F_9033, GAMMA_TAB_SIZE, invGammaSplineTab, LUT_DIM, rgb2LabLutInputs, XYZ2RGB_F,
} from '../../common/opencv-lab-tables.ts';
import type { Taps } from '../../common/resize-plan.ts';
import { ensureBytes, instantiateModule } from './instantiate.ts';
import { WASM_BASE64 } from './lab.wasm.ts';

interface Exports {
  labToRgba(L: number, a: number, b: number, out: number, n: number, width: number, simdCols: number, abScale: number, k: number, tab: number, size: number): void;
  rgb2LabLut(S: number, lin: number, out: number): void;
  rgbaToLab(src: number, n: number, lut: number, cell: number, next: number, frac: number, green: number, blue: number, outL: number, outA: number, outB: number): void;
  resizeRows(
    src: number, W: number, first: number, xi0: number, xi1: number, xf: number, sw: number,
    yi0: number, yi1: number, yf: number, sh: number, y0: number, y1: number, ow: number, out: number, row0: number, row1: number,
  ): void;
}

/** Lab planes of a `width`-wide image -> RGBA bytes into `out` (4 per pixel). */
export type LabToRgbaKernel = (L: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, width: number, simdCols: number, abScale: number, out: Uint8ClampedArray) => void;

/** A bilinear resize of one float32 plane (H x W at `plane`): its taps, and how big the result is. */
export interface PlaneResize {
  /** Taps for the sw columns and sh rows of the resized size (beyond them: edge padding to ow). */
  tx: Taps;
  ty: Taps;
  /** Output width (>= tx's length). */
  ow: number;
}

export interface LabKernels {
  /** The RGB -> Lab table the module built (opencv-lab-tables.ts rgb2LabLut, from the same inputs): a copy. */
  rgb2LabLut(): Int16Array;
  /** OpenCV's float RGB -> Lab of n RGBA pixels: L, a, b planes into out (3n floats). */
  rgbaToLab(rgba: ArrayLike<number>, n: number, out: Float32Array): void;
  labToRgba: LabToRgbaKernel;
  /** Output rows y0..y1 of resizing `plane` (W wide) into `dst` ((y1 - y0) x r.ow floats). */
  resizeRows(plane: Float32Array, W: number, r: PlaneResize, y0: number, y1: number, dst: Float32Array): void;
  /**
   * Recombine's join: output rows y0..y1 (r.ow wide) of L (a plane `W` wide, its rows from 0) with
   * the a and b planes (`abW` wide) resized by r and multiplied by abScale, to RGBA bytes at row y0
   * of `dst`. Columns below simdCols take OpenCV's SIMD steps.
   */
  recombineRows(L: Float32Array, W: number, a: Float32Array, b: Float32Array, abW: number, r: PlaneResize, abScale: number, simdCols: number, y0: number, y1: number, dst: Uint8ClampedArray): void;
}

const f = Math.fround;
/** Pixels per strip (a few hundred KB of module memory). */
const CHUNK_PIXELS = 65536;
/** Source floats copied in per strip of a resize, at most (unless one output row needs more). */
const SOURCE_FLOATS = 1 << 16;

let loaded: LabKernels | null | undefined;

export function wasmLabKernels(): LabKernels | null {
  if (loaded === undefined) loaded = load();
  return loaded;
}

export function wasmLabToRgba(): LabToRgbaKernel | null {
  return wasmLabKernels()?.labToRgba ?? null;
}

function load(): LabKernels | null {
  const module = instantiateModule<Exports>(WASM_BASE64);
  if (!module) return null;
  const { memory, wasm } = module;
  const tab = invGammaSplineTab();
  // Fixed part: Lab -> RGB constants (the order lab.as.ts reads them), the gamma spline, the RGB -> Lab
  // table (built by the module on first use: the TypeScript build takes 40-120 ms cold) and its
  // per-byte cell, next and fraction tables; then the scratch.
  const consts = [F_9033, F_7787, F_16_116, F_6_29, f(1 / F_9033), f(1 / 116), f(1 / 500), f(-1 / 200), f(1 / F_7787), ...XYZ2RGB_F];
  const kAt = 0, tabAt = 4 * 32, lutAt = tabAt + 4 * tab.length, lutLength = LUT_DIM ** 3 * 3;
  const cellAt = align(lutAt + 2 * lutLength), nextAt = cellAt + 4 * 256, fracAt = nextAt + 4 * 256, scratchAt = fracAt + 4 * 256;
  let lutReady = false;
  let top = scratchAt;
  /** Bytes for this call's scratch (16-byte aligned); the memory grows when needed. */
  const alloc = (n: number) => {
    const at = align(top);
    top = at + n;
    ensureBytes(memory, top);
    return at;
  };
  const f32 = (at: number, n: number) => new Float32Array(memory.buffer, at, n);
  const i32 = (at: number, n: number) => new Int32Array(memory.buffer, at, n);
  alloc(0);
  f32(kAt, consts.length).set(consts);
  f32(tabAt, tab.length).set(tab);

  const labToRgbaAt = (L: number, a: number, b: number, out: number, m: number, width: number, simdCols: number, abScale: number) =>
    wasm.labToRgba(L, a, b, out, m, width, simdCols, abScale, kAt, tabAt, GAMMA_TAB_SIZE);
  /** Copies n values of `src` from `from` into the memory at `at` as float32 (a memcpy when they are float32). */
  const put = (src: ArrayLike<number>, from: number, n: number, at: number) => {
    const dst = f32(at, n);
    if (src instanceof Float32Array) dst.set(src.subarray(from, from + n));
    else for (let i = 0; i < n; i++) dst[i] = src[from + i];
  };
  /** The taps of r in the memory. */
  const putTaps = (r: PlaneResize) => {
    const at = (t: Taps) => {
      const n = t.f.length, p = alloc(12 * n);
      i32(p, n).set(t.i0);
      i32(p + 4 * n, n).set(t.i1);
      f32(p + 8 * n, n).set(t.f);
      return [p, p + 4 * n, p + 8 * n] as const;
    };
    return { x: at(r.tx), y: at(r.ty), row0: alloc(4 * r.tx.f.length), row1: alloc(4 * r.tx.f.length) };
  };
  type PutTaps = ReturnType<typeof putTaps>;
  /** The source rows output rows y0..y1 of r read. */
  const sourceRows = (r: PlaneResize, y0: number, y1: number) => {
    const sh = r.ty.f.length, y = (oy: number) => Math.min(oy, sh - 1);
    return [r.ty.i0[y(y0)], r.ty.i1[y(y1 - 1)] + 1] as const;
  };
  /** Output rows from y0 on, as many as fit a strip: their end. */
  const stripEnd = (r: PlaneResize, W: number, y0: number, y1: number) => {
    let end = y0 + 1;
    const most = Math.max(1, Math.floor(CHUNK_PIXELS / r.ow));
    while (end < y1 && end - y0 < most) {
      const [s0, s1] = sourceRows(r, y0, end + 1);
      if ((s1 - s0) * W > SOURCE_FLOATS) break;
      end++;
    }
    return end;
  };
  /** Resizes output rows y0..y1 of `plane` into the memory at `out`, its source rows copied in first. */
  const resizeAt = (plane: Float32Array, W: number, r: PlaneResize, t: PutTaps, y0: number, y1: number, out: number) => {
    const [s0, s1] = sourceRows(r, y0, y1);
    const src = alloc(4 * (s1 - s0) * W);
    put(plane, s0 * W, (s1 - s0) * W, src);
    wasm.resizeRows(src, W, s0, t.x[0], t.x[1], t.x[2], r.tx.f.length, t.y[0], t.y[1], t.y[2], r.ty.f.length, y0, y1, r.ow, out, t.row0, t.row1);
  };

  const buildLut = () => {
    if (lutReady) return;
    top = scratchAt;
    const { S, lin } = rgb2LabLutInputs();
    const sAt = alloc(4 * S.length), linAt = alloc(4 * lin.length);
    f32(sAt, S.length).set(S);
    f32(linAt, lin.length).set(lin);
    wasm.rgb2LabLut(sAt, linAt, lutAt);
    const last = LUT_DIM - 1;
    // The kernel reads red's node pairs as one load: a byte on the last node must weigh its pair's second node 0.
    if (CODE_U8.some((c) => (c >> 9) >= last && ((c >> 5) & 15) !== 0)) throw new Error('rgbaToLab: a byte on the last table node has a fraction');
    i32(cellAt, 256).set(CODE_U8.map((c) => 3 * (c >> 9)));
    i32(nextAt, 256).set(CODE_U8.map((c) => ((c >> 9) < last ? 3 : 0)));
    i32(fracAt, 256).set(CODE_U8.map((c) => (c >> 5) & 15));
    lutReady = true;
  };

  return {
    rgb2LabLut() {
      buildLut();
      return new Int16Array(memory.buffer, lutAt, lutLength).slice();
    },

    rgbaToLab(rgba, n, out) {
      buildLut();
      const bytes = rgba instanceof Uint8Array || rgba instanceof Uint8ClampedArray ? rgba : Uint8Array.from(rgba);
      for (let p0 = 0; p0 < n; p0 += CHUNK_PIXELS) {
        const m = Math.min(CHUNK_PIXELS, n - p0);
        top = scratchAt;
        const src = alloc(4 * m), lab = alloc(12 * m);
        new Uint8Array(memory.buffer, src, 4 * m).set(bytes.subarray(4 * p0, 4 * (p0 + m)));
        wasm.rgbaToLab(src, m, lutAt, cellAt, nextAt, fracAt, LUT_DIM, LUT_DIM * LUT_DIM, lab, lab + 4 * m, lab + 8 * m);
        for (let c = 0; c < 3; c++) out.set(f32(lab + 4 * c * m, m), c * n + p0);
      }
    },

    labToRgba(L, a, b, width, simdCols, abScale, out) {
      const n = L.length;
      const rows = Math.max(1, Math.floor(CHUNK_PIXELS / width));
      for (let p0 = 0; p0 < n; p0 += rows * width) {
        const m = Math.min(rows * width, n - p0);
        top = scratchAt;
        const planes = alloc(12 * m), rgbaAt = alloc(4 * m);
        put(L, p0, m, planes);
        put(a, p0, m, planes + 4 * m);
        put(b, p0, m, planes + 8 * m);
        labToRgbaAt(planes, planes + 4 * m, planes + 8 * m, rgbaAt, m, width, simdCols, abScale);
        out.set(new Uint8Array(memory.buffer, rgbaAt, 4 * m), 4 * p0);
      }
    },

    resizeRows(plane, W, r, y0, y1, dst) {
      for (let s = y0; s < y1;) {
        top = scratchAt;
        const t = putTaps(r);
        const e = stripEnd(r, W, s, y1), out = alloc(4 * (e - s) * r.ow);
        resizeAt(plane, W, r, t, s, e, out);
        dst.set(f32(out, (e - s) * r.ow), (s - y0) * r.ow);
        s = e;
      }
    },

    recombineRows(L, W, a, b, abW, r, abScale, simdCols, y0, y1, dst) {
      const ow = r.ow;
      for (let s = y0; s < y1;) {
        top = scratchAt;
        const t = putTaps(r);
        const e = stripEnd(r, abW, s, y1), m = (e - s) * ow;
        const lAt = alloc(4 * m), aAt = alloc(4 * m), bAt = alloc(4 * m);
        if (ow === W) put(L, s * W, m, lAt);
        else for (let y = s; y < e; y++) put(L, y * W, ow, lAt + 4 * (y - s) * ow);
        const mark = top;
        resizeAt(a, abW, r, t, s, e, aAt);
        top = mark;
        resizeAt(b, abW, r, t, s, e, bAt);
        top = mark;
        const rgbaAt = alloc(4 * m);
        labToRgbaAt(lAt, aAt, bAt, rgbaAt, m, ow, simdCols, abScale);
        dst.set(new Uint8Array(memory.buffer, rgbaAt, 4 * m), 4 * s * ow);
        s = e;
      }
    },
  };
}

function align(at: number): number {
  return (at + 15) & ~15;
}
