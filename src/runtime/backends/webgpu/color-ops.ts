/**
 * WGSL implementations of ColorOps (kernels in kernels/lab.wgsl.ts, resize.wgsl.ts, bins.wgsl.ts).
 * Tensors stay on the GPU. Reads back only where the result is CPU data by definition: IMAGE bytes
 * (labToRgb, dropChroma, recombine, renderColorDist) and the ANCHORS list (anchorColors reads the
 * small top-10 table or the pooled reference ab). The uint8 image resize runs on the CPU reference:
 * IMAGE values are CPU bytes already, and no node needs that resize on the GPU.
 */
import { numel, type CpuTensor, type GpuTensor, type Tensor } from '../../values/tensor.ts';
import type { ImageValue } from '../../values/types.ts';
import type { ColorOps } from '../ops/color-ops.ts';
import { AB_BINS, NUM_BINS } from '../shared/ab-bins.ts';
import {
  anchorInputArrays, assignAnchorColors, candidatesAt, checkGrid, NUM_CANDIDATES, pickBin, referenceBinAt,
  renderColorDistImage,
} from '../cpu/anchor-colors.ts';
import { resizeImageU8 } from '../cpu/resize.ts';
import { checkRecombine, checkResizeArgs, taps, workingPlan } from '../shared/resize-plan.ts';
import { invGammaSplineTab, labTableForGpu, simdColumns } from '../shared/opencv-lab-tables.ts';
import { f32Bits, type GpuContext } from './gpu-context.ts';
import { groups } from './kernels/color-common.ts';
import { AFFINE, LAB_TO_RGB, RGB_TO_LAB } from './kernels/lab.wgsl.ts';
import { RESIZE } from './kernels/resize.wgsl.ts';
import { DECODE, ENCODE, SOFT_ENCODE, SOFTMAX, TOPK } from './kernels/bins.wgsl.ts';

/** A uniform value: numbers are u32, `{ f: x }` is an f32. */
type Uni = number | { f: number };
const NAN_BITS = 0x7fc00000;

export function gpuColorOps(gpu: GpuContext): ColorOps {
  let binTable: GPUBuffer | undefined;
  const bins = () => (binTable ??= gpu.upload({ location: 'cpu', dtype: 'float32', shape: [2 * NUM_BINS], data: Float32Array.from(AB_BINS) }).buffer);
  // OpenCV's Lab tables (cpu/opencv-lab-tables.ts), uploaded once
  let labTable: GPUBuffer | undefined, splineTable: GPUBuffer | undefined;
  const table = (data: Int32Array | Float32Array) =>
    gpu.upload({ location: 'cpu', dtype: data instanceof Int32Array ? 'int32' : 'float32', shape: [data.length], data }).buffer;
  const labTab = () => (labTable ??= table(labTableForGpu()));
  const splineTab = () => (splineTable ??= table(invGammaSplineTab()));

  /** Runs `code` over `n` invocations with a fresh uniform block at binding 0, then the buffers. */
  function run(label: string, code: string, uniforms: Uni[], buffers: GPUBuffer[], n: number): void {
    const u = gpu.uniformU32(uniforms.map((v) => (typeof v === 'number' ? v : f32Bits(v.f))), label);
    gpu.dispatch(gpu.pipeline(label, code), [u, ...buffers], groups(n));
    u.destroy(); // released once the submitted work is done
  }

  /** The tensor on the GPU, and a cleanup that frees it if it was uploaded just for this op. */
  function onGpu(t: Tensor): [GpuTensor, () => void] {
    if (t.location === 'gpu') return [t, () => {}];
    const g = gpu.upload(t);
    return [g, () => g.buffer.destroy()];
  }

  function uploadRgba(image: ImageValue): GpuTensor {
    const n = image.width * image.height;
    const bytes = image.data.byteOffset % 4 === 0 ? image.data : Uint8ClampedArray.from(image.data);
    return gpu.upload({ location: 'cpu', dtype: 'int32', shape: [n], data: new Int32Array(bytes.buffer, bytes.byteOffset, n) });
  }

  /** Packed RGBA on the GPU -> ImageValue. Readback: IMAGE is CPU bytes by definition. */
  async function downloadRgba(t: GpuTensor, width: number, height: number): Promise<ImageValue> {
    const cpu = await gpu.download(t);
    t.buffer.destroy();
    return { width, height, data: new Uint8ClampedArray(cpu.data.buffer, cpu.data.byteOffset, width * height * 4) };
  }

  function labToRgbDispatch(L: GpuTensor, lStride: number, ab: GpuTensor, abOffset: number, abPlane: number, abScale: number, width: number, height: number): GpuTensor {
    const out = gpu.gpuTensor([width * height], 'int32', 'rgba');
    run('lab-to-rgb', LAB_TO_RGB, [width, height, lStride, abOffset, abPlane, { f: abScale }, simdColumns(width)], [L.buffer, ab.buffer, out.buffer, splineTab()], width * height);
    return out;
  }

  function rgbToLabDispatch(image: ImageValue): GpuTensor {
    const n = image.width * image.height;
    const rgba = uploadRgba(image);
    const lab = gpu.gpuTensor([1, 3, image.height, image.width], 'float32', 'lab');
    run('rgb-to-lab', RGB_TO_LAB, [n], [rgba.buffer, lab.buffer, labTab()], n);
    rgba.buffer.destroy();
    return lab;
  }

  function affine(t: Tensor, mul: number, add: number, div: number): GpuTensor {
    const [src, done] = onGpu(t);
    const out = gpu.gpuTensor(t.shape, 'float32', 'affine');
    run('affine', AFFINE, [numel(t.shape), { f: mul }, { f: add }, { f: div }], [src.buffer, out.buffer], numel(t.shape));
    done();
    return out;
  }

  function resizeDispatch(t: Tensor, size: { width: number; height: number }, opts: Parameters<ColorOps['resize']>[2] = {}): GpuTensor {
    const { from, out } = checkResizeArgs(t.shape, size, opts);
    const [N, C, H, W] = t.shape;
    const tx = taps(from.width, size.width), ty = taps(from.height, size.height);
    const table = new Float32Array(3 * (size.width + size.height));
    for (let x = 0; x < size.width; x++) table.set([tx.i0[x], tx.i1[x], tx.f[x]], 3 * x);
    for (let y = 0; y < size.height; y++) table.set([ty.i0[y], ty.i1[y], ty.f[y]], 3 * (size.width + y));
    const tapBuf = gpu.upload({ location: 'cpu', dtype: 'float32', shape: [table.length], data: table });
    const [src, done] = onGpu(t);
    const dst = gpu.gpuTensor([N, C, out.height, out.width], 'float32', 'resize');
    run('resize', RESIZE, [N * C, H, W, size.height, size.width, out.height, out.width], [src.buffer, tapBuf.buffer, dst.buffer], numel(dst.shape));
    tapBuf.buffer.destroy();
    done();
    return dst;
  }

  function perPixel(label: string, code: string, input: Tensor, inC: number, outC: number, dtype: 'float32' | 'int32'): GpuTensor {
    if (input.shape.length !== 4 || input.shape[1] !== inC) throw new Error(`${label}: expected [N,${inC},H,W], got [${input.shape.join('x')}]`);
    const [N, , H, W] = input.shape;
    const [src, done] = onGpu(input);
    const out = gpu.gpuTensor([N, outC, H, W], dtype, label);
    run(label, code, [N, H * W, NAN_BITS], [bins(), src.buffer, out.buffer], N * H * W);
    done();
    return out;
  }

  function topBinsDispatch(probs: Tensor, k: number): { bins: GpuTensor; probs: GpuTensor } {
    if (probs.shape.length !== 4) throw new Error(`topBins: expected probabilities [N,313,h,w], got [${probs.shape.join('x')}]`);
    const [N, C, H, W] = probs.shape;
    if (!(Number.isInteger(k) && k >= 1 && k <= C)) throw new Error(`topBins: k must be 1..${C}, got ${k}`);
    const [src, done] = onGpu(probs);
    const idx = gpu.gpuTensor([N, k, H, W], 'int32', 'top-bins'), val = gpu.gpuTensor([N, k, H, W], 'float32', 'top-probs');
    run('top-k', TOPK, [N, C, H * W, k], [src.buffer, idx.buffer, val.buffer], N * H * W);
    done();
    return { bins: idx, probs: val };
  }

  /** Readback of a small table the CPU side needs (the caller says why); frees the GPU copy. */
  async function take(t: GpuTensor): Promise<CpuTensor> {
    const c = await gpu.download(t);
    t.buffer.destroy();
    return c;
  }

  return {
    async rgbToLab(image) { return rgbToLabDispatch(image); },
    async labToRgb(lab) {
      if (lab.shape.length !== 4 || lab.shape[0] !== 1 || lab.shape[1] !== 3) throw new Error(`labToRgb: expected Lab [1,3,H,W], got [${lab.shape.join('x')}]`);
      const [, , H, W] = lab.shape;
      const [src, done] = onGpu(lab);
      const out = labToRgbDispatch(src, W, src, H * W, H * W, 1, W, H);
      done();
      return downloadRgba(out, W, H);
    },
    async normalizeLab(t, part) { return part === 'L' ? affine(t, 1, -50, 50) : affine(t, 1, 0, 110); },
    async denormalizeLab(t, part) { return part === 'L' ? affine(t, 50, 50, 1) : affine(t, 110, 0, 1); },
    async sliceChannels(t, start, count) {
      const [N, C, H, W] = t.shape;
      if (t.shape.length !== 4 || start < 0 || count < 1 || start + count > C) throw new Error(`sliceChannels: channels ${start}..${start + count - 1} of [${t.shape.join('x')}]`);
      const [src, done] = onGpu(t);
      const out = gpu.gpuTensor([N, count, H, W], t.dtype, 'slice');
      const enc = gpu.device.createCommandEncoder();
      const plane = H * W * 4;
      for (let n = 0; n < N; n++) enc.copyBufferToBuffer(src.buffer, (n * C + start) * plane, out.buffer, n * count * plane, count * plane);
      gpu.device.queue.submit([enc.finish()]);
      done();
      return out;
    },
    async dropChroma(image) {
      const n = image.width * image.height;
      const lab = rgbToLabDispatch(image);
      const out = await downloadRgba(labToRgbDispatch(lab, image.width, lab, n, n, 0, image.width, image.height), image.width, image.height);
      lab.buffer.destroy();
      for (let p = 0; p < n; p++) out.data[4 * p + 3] = image.data[4 * p + 3];
      return { ...out, meta: { ...image.meta, hadColor: false } };
    },

    async resize(t, size, opts) { return resizeDispatch(t, size, opts); },
    async resizeImage(image, size) { return resizeImageU8(image, size); },
    async resizeToWorking(lab, size, keepAspect, fullSize) {
      const plan = workingPlan(lab.content, size, keepAspect, fullSize);
      return { lab: resizeDispatch(lab.lab, plan.size, plan.opts), content: plan.content };
    },
    async recombine(photo, abN, content) {
      const out = checkRecombine(photo.lab.shape, photo.content, abN.shape, content);
      const big = resizeDispatch(abN, out, { from: content });
      const [L, done] = onGpu(photo.lab);
      const n = out.width * out.height;
      const rgba = labToRgbDispatch(L, photo.lab.shape[3], big, 0, n, 110, out.width, out.height);
      done();
      big.buffer.destroy();
      return downloadRgba(rgba, out.width, out.height);
    },

    async encodeAb(abN) { return perPixel('encode-ab', ENCODE, abN, 2, 1, 'int32'); },
    async softEncodeAb(abN) { return perPixel('soft-encode-ab', SOFT_ENCODE, abN, 2, NUM_BINS, 'float32'); },
    async decodeBins(labels) { return perPixel('decode-bins', DECODE, labels, 1, 2, 'float32'); },
    async softmaxChannels(logits) {
      if (logits.shape.length !== 4) throw new Error(`softmax: expected [N,C,H,W], got [${logits.shape.join('x')}]`);
      const [N, C, H, W] = logits.shape;
      const [src, done] = onGpu(logits);
      const out = gpu.gpuTensor(logits.shape, 'float32', 'softmax');
      run('softmax', SOFTMAX, [N, C, H * W], [src.buffer, out.buffer], N * H * W);
      done();
      return out;
    },

    async topBins(probs, k) { return topBinsDispatch(probs, k); },
    async anchorColors(probs, anchors, { variant, referenceAb }) {
      // Readbacks below are needed: ANCHORS is a CPU list (the editor shows and edits it), so each
      // anchor's bin must reach the CPU. Only small per-token tables come back, never the 313 probs.
      if (referenceAb) {
        checkGrid(referenceAb.shape, anchors, 2, 'anchorColors (reference ab)');
        const ref = referenceAb.location === 'cpu' ? referenceAb : await gpu.download(referenceAb);
        return assignAnchorColors(anchors, (cell) => referenceBinAt(ref, cell));
      }
      if (!probs) throw new Error('anchorColors: colour probabilities are needed unless a reference ab is given');
      checkGrid(probs.shape, anchors, NUM_BINS, 'anchorColors (probabilities)');
      const top = topBinsDispatch(probs, NUM_CANDIDATES);
      top.probs.buffer.destroy();
      const table = await take(top.bins);
      return assignAnchorColors(anchors, (cell) => pickBin(candidatesAt(table, cell), variant));
    },
    async anchorInputs(anchors, gridH, gridW) {
      // Built from the CPU anchor list and uploaded (a few hundred KB at most); nothing is read back.
      const { mask, onehot } = anchorInputArrays(anchors, gridH, gridW);
      return { mask: gpu.upload(mask), onehot: gpu.upload(onehot) };
    },
    async renderColorDist(probs, k) {
      // Readback: the picture is an IMAGE (CPU bytes); only the k-per-token tables come back.
      const top = topBinsDispatch(probs, k);
      return renderColorDistImage(await take(top.bins), await take(top.probs));
    },
  };
}
