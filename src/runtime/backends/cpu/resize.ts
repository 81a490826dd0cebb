/**
 * OpenCV INTER_LINEAR resizes (docs/disco-method.md §2): half-pixel geometry, edge clamping, separable (horizontal
 * then vertical). Float32 for Lab/ab tensors; the exact uint8 fixed-point variant for 8-bit images.
 * Both follow the shared `taps` (common/resize-plan.ts), as does the WGSL kernel.
 */
import { cpuTensor, type CpuTensor } from '../../values/tensor.ts';
import type { Frame, ImageValue } from '../../values/types.ts';
import type { ResizeOptions } from '../ops/color-ops.ts';
import { checkResizeArgs, taps } from '../common/resize-plan.ts';
import { hostKernels } from './host-kernels.ts';
import { wasmLabKernels, type LabKernels } from './simd/lab-wasm.ts';

/**
 * Float bilinear resize of [N,C,H,W]; see ResizeOptions for `from` (crop) and `padTo` (edge pad).
 * `wasm`: the WebAssembly version of the loops (the same values; default: where WebAssembly runs and
 * the data is float32; null for the loops). Unless it is null, the host's kernel runs instead where
 * there is one (host-kernels.ts; the CLI's native one).
 */
export function resizeFloat(t: CpuTensor, size: Frame, opts: ResizeOptions = {}, wasm: LabKernels | null = wasmLabKernels()): CpuTensor {
  const { from, out } = checkResizeArgs(t.shape, size, opts);
  const [N, C, H, W] = t.shape;
  // The whole tensor to its own size: every tap has weight 0 on its second pixel, so this is a copy
  // (the same values; only a -0 may come out +0 through the blend, which the copy keeps as -0).
  const same = (a: Frame, b: Frame) => a.width === b.width && a.height === b.height;
  if (t.data instanceof Float32Array && same(from, { width: W, height: H }) && same(size, from) && same(out, size)) {
    return cpuTensor(t.shape, t.data.slice());
  }
  const res = new Float32Array(N * C * out.height * out.width);
  resizeRowsInto(t, size, opts, 0, out.height, res, wasm);
  return cpuTensor([N, C, out.height, out.width], res);
}

/**
 * Output rows y0..y1 of resizeFloat(t, size, opts), every plane, into `res` (plane by plane, each
 * (y1 - y0) rows of the output width): the same values, for callers that work in strips.
 */
export function resizeRowsInto(
  t: CpuTensor, size: Frame, opts: ResizeOptions, y0: number, y1: number, res: Float32Array, wasm: LabKernels | null = wasmLabKernels(),
): void {
  const { from, out } = checkResizeArgs(t.shape, size, opts);
  const [N, C, H, W] = t.shape;
  const tx = taps(from.width, size.width), ty = taps(from.height, size.height);
  const host = wasm && hostKernels().resizePlanes;
  if (host && t.data instanceof Float32Array) {
    host(t.data, N * C, H, W, tx, ty, y0, y1, out.width, res);
    return;
  }
  if (wasm && t.data instanceof Float32Array) {
    for (let plane = 0; plane < N * C; plane++) {
      const rows = (y1 - y0) * out.width;
      wasm.resizeRows(t.data.subarray(plane * H * W, (plane + 1) * H * W), W, { tx, ty, ow: out.width }, y0, y1, res.subarray(plane * rows, (plane + 1) * rows));
    }
    return;
  }
  const data = t.data, { i0: xi0, i1: xi1, f: xf } = tx, sw = size.width, ow = out.width;
  const hrow = (base: number, dst: Float32Array) => {
    for (let x = 0; x < sw; x++) {
      const f = xf[x];
      dst[x] = Math.fround(data[base + xi0[x]] * (1 - f) + data[base + xi1[x]] * f);
    }
  };
  // The horizontal passes of the two source rows are kept: upscaling reuses them for many output rows.
  let row0 = new Float32Array(sw), row1 = new Float32Array(sw);
  for (let plane = 0; plane < N * C; plane++) {
    const obase = plane * (y1 - y0) * ow, pbase = plane * H * W;
    let k0 = -1, k1 = -1;
    for (let oy = y0; oy < y1; oy++) {
      const y = Math.min(oy, size.height - 1);
      const ya = ty.i0[y], yb = ty.i1[y];
      if (k0 !== ya) {
        if (k1 === ya) {
          [row0, row1] = [row1, row0];
          [k0, k1] = [k1, k0];
        } else {
          hrow(pbase + ya * W, row0);
          k0 = ya;
        }
      }
      if (k1 !== yb) {
        hrow(pbase + yb * W, row1);
        k1 = yb;
      }
      const f = ty.f[y];
      const o = obase + (oy - y0) * ow;
      for (let ox = 0; ox < ow; ox++) {
        const x = ox < sw ? ox : sw - 1;
        res[o + ox] = Math.fround(row0[x] * (1 - f) + row1[x] * f);
      }
    }
  }
}

const roundHalfEven = (v: number): number => {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** OpenCV 4.6's exact uint8 INTER_LINEAR (fixed point, 2048 weights) on all four RGBA channels. */
export function resizeImageU8(image: ImageValue, size: Frame): ImageValue {
  checkResizeArgs([1, 4, image.height, image.width], size, {});
  const { width: W, data } = image;
  const tx = taps(W, size.width), ty = taps(image.height, size.height);
  const wx1 = Array.from(tx.f, (f) => roundHalfEven(Math.fround(f * 2048)));
  const wy1 = Array.from(ty.f, (f) => roundHalfEven(Math.fround(f * 2048)));
  const out = new Uint8ClampedArray(size.width * size.height * 4);
  const hrow = (y: number, x: number, c: number) =>
    data[(y * W + tx.i0[x]) * 4 + c] * (2048 - wx1[x]) + data[(y * W + tx.i1[x]) * 4 + c] * wx1[x];
  for (let oy = 0; oy < size.height; oy++) {
    const b1 = wy1[oy], b0 = 2048 - b1;
    for (let ox = 0; ox < size.width; ox++) {
      for (let c = 0; c < 4; c++) {
        const h0 = hrow(ty.i0[oy], ox, c), h1 = hrow(ty.i1[oy], ox, c);
        const v = ((((h0 >> 4) * b0) >> 16) + (((h1 >> 4) * b1) >> 16) + 2) >> 2;
        out[(oy * size.width + ox) * 4 + c] = Math.max(0, Math.min(255, v));
      }
    }
  }
  return { width: size.width, height: size.height, data: out, meta: image.meta };
}
