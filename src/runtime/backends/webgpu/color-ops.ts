/**
 * WGSL implementations of ColorOps (kernels in kernels/lab.wgsl.ts, lab8.wgsl.ts, resize.wgsl.ts,
 * bins.wgsl.ts).
 * Tensors stay on the GPU. Reads back only where the result is CPU data by definition: IMAGE bytes
 * (labToRgb, dropChroma, rgbToLab8, lab8ToRgb, recombine, renderColorDist) and the ANCHORS list
 * (anchorColors reads the small top-10 table or the pooled reference ab). The uint8 image resize
 * runs on the CPU reference: IMAGE values are CPU bytes already, and no node needs it on the GPU.
 */
import { numel, type GpuTensor, type Tensor } from '../../values/tensor.ts';
import type { ImageValue } from '../../values/types.ts';
import type { ColorOps } from '../ops/color-ops.ts';
import { AB_BINS, NUM_BINS } from '../common/ab-bins.ts';
import {
  anchorInputArrays, assignAnchorColors, candidatesAt, checkGrid, NUM_CANDIDATES, pickBin, referenceBinAt,
  renderColorDistImage,
} from '../cpu/anchor-colors.ts';
import { resizeImageU8 } from '../cpu/resize.ts';
import { checkRecombine, checkResizeArgs, taps, workingPlan } from '../common/resize-plan.ts';
import { invGammaSplineTab, lab8TableForGpu, labTableForGpu, simdColumns } from '../common/opencv-lab-tables.ts';
import type { GpuContext } from './gpu-context.ts';
import { linear, withScratch, type Kernel, type Scratch, type Uni } from './kernel.ts';
import { AFFINE, LAB_TO_RGB, RGB_TO_LAB } from './kernels/lab.wgsl.ts';
import { LAB8_TO_RGB, RGB_TO_LAB8 } from './kernels/lab8.wgsl.ts';
import { RESIZE } from './kernels/resize.wgsl.ts';
import { DECODE, ENCODE, SOFT_ENCODE, SOFTMAX, TOPK } from './kernels/bins.wgsl.ts';

const NAN_BITS = 0x7fc00000;

export function gpuColorOps(gpu: GpuContext): ColorOps {
  let binTable: GPUBuffer | undefined;
  const bins = () => (binTable ??= gpu.upload({ location: 'cpu', dtype: 'float32', shape: [2 * NUM_BINS], data: Float32Array.from(AB_BINS) }).buffer);
  // OpenCV's Lab tables (common/opencv-lab-tables.ts), uploaded once
  let labTable: GPUBuffer | undefined, splineTable: GPUBuffer | undefined;
  const table = (data: Int32Array | Float32Array) =>
    gpu.upload({ location: 'cpu', dtype: data instanceof Int32Array ? 'int32' : 'float32', shape: [data.length], data }).buffer;
  const labTab = () => (labTable ??= table(labTableForGpu()));
  const splineTab = () => (splineTable ??= table(invGammaSplineTab()));
  let lab8Table: GPUBuffer | undefined;
  const lab8Tab = () => (lab8Table ??= table(lab8TableForGpu()));
  const scratch = <T>(body: (s: Scratch) => T | Promise<T>): Promise<T> => withScratch(gpu, body);

  /** Runs a 1-D kernel over `n` invocations: `buffers` in its binding order, then a fresh uniform block. */
  function run(s: Scratch, kernel: Kernel, buffers: GPUBuffer[], uniforms: Uni[], n: number): void {
    gpu.run([{ kernel, buffers: [...buffers, s.uniform(uniforms, kernel.label)], groups: linear(n) }]);
  }

  function uploadRgba(s: Scratch, image: ImageValue): GpuTensor {
    const n = image.width * image.height;
    const bytes = image.data.byteOffset % 4 === 0 ? image.data : Uint8ClampedArray.from(image.data);
    return s.input({ location: 'cpu', dtype: 'int32', shape: [n], data: new Int32Array(bytes.buffer, bytes.byteOffset, n) });
  }

  /** Packed RGBA on the GPU (a scratch buffer) -> ImageValue. Readback: IMAGE is CPU bytes by definition. */
  async function downloadRgba(t: GpuTensor, width: number, height: number): Promise<ImageValue> {
    const cpu = await gpu.download(t);
    return { width, height, data: new Uint8ClampedArray(cpu.data.buffer, cpu.data.byteOffset, width * height * 4) };
  }

  /** Packed RGBA of L (row stride lStride) and ab (from abOffset, planes abPlane apart, times abScale); a scratch buffer. */
  function labToRgbDispatch(s: Scratch, L: GpuTensor, lStride: number, ab: GpuTensor, abOffset: number, abPlane: number, abScale: number, width: number, height: number): GpuTensor {
    const out: GpuTensor = { location: 'gpu', dtype: 'int32', shape: [width * height], buffer: s.storage(width * height, 'rgba') };
    run(s, LAB_TO_RGB, [L.buffer, ab.buffer, splineTab(), out.buffer], [width, height, lStride, abOffset, abPlane, { f: abScale }, simdColumns(width)], width * height);
    return out;
  }

  function rgbToLabDispatch(s: Scratch, image: ImageValue): GpuTensor {
    const n = image.width * image.height;
    const lab = gpu.gpuTensor([1, 3, image.height, image.width], 'float32', 'lab');
    run(s, RGB_TO_LAB, [uploadRgba(s, image).buffer, labTab(), lab.buffer], [n], n);
    return lab;
  }

  /** An 8-bit conversion (kernels/lab8.wgsl.ts): RGBA bytes in, RGBA bytes out. Readback: IMAGE is CPU bytes. */
  function bytesToBytes(kernel: Kernel, image: ImageValue): Promise<ImageValue> {
    const n = image.width * image.height;
    return scratch((s) => {
      const out: GpuTensor = { location: 'gpu', dtype: 'int32', shape: [n], buffer: s.storage(n, kernel.label) };
      run(s, kernel, [uploadRgba(s, image).buffer, lab8Tab(), out.buffer], [n], n);
      return downloadRgba(out, image.width, image.height);
    });
  }

  function affine(t: Tensor, mul: number, add: number, div: number): Promise<GpuTensor> {
    return scratch((s) => {
      const out = gpu.gpuTensor(t.shape, 'float32', 'affine');
      run(s, AFFINE, [s.input(t).buffer, out.buffer], [numel(t.shape), { f: mul }, { f: add }, { f: div }], numel(t.shape));
      return out;
    });
  }

  function resizeDispatch(s: Scratch, t: Tensor, size: { width: number; height: number }, opts: Parameters<ColorOps['resize']>[2] = {}): GpuTensor {
    const { from, out } = checkResizeArgs(t.shape, size, opts);
    const [N, C, H, W] = t.shape;
    const tx = taps(from.width, size.width), ty = taps(from.height, size.height);
    const table = new Float32Array(3 * (size.width + size.height));
    for (let x = 0; x < size.width; x++) table.set([tx.i0[x], tx.i1[x], tx.f[x]], 3 * x);
    for (let y = 0; y < size.height; y++) table.set([ty.i0[y], ty.i1[y], ty.f[y]], 3 * (size.width + y));
    const tapBuf = s.input({ location: 'cpu', dtype: 'float32', shape: [table.length], data: table });
    const dst = gpu.gpuTensor([N, C, out.height, out.width], 'float32', 'resize');
    run(s, RESIZE, [s.input(t).buffer, tapBuf.buffer, dst.buffer], [N * C, H, W, size.height, size.width, out.height, out.width], numel(dst.shape));
    return dst;
  }

  function perPixel(kernel: Kernel, input: Tensor, inC: number, outC: number, dtype: 'float32' | 'int32'): Promise<GpuTensor> {
    if (input.shape.length !== 4 || input.shape[1] !== inC) throw new Error(`${kernel.label}: expected [N,${inC},H,W], got [${input.shape.join('x')}]`);
    const [N, , H, W] = input.shape;
    return scratch((s) => {
      const out = gpu.gpuTensor([N, outC, H, W], dtype, kernel.label);
      run(s, kernel, [bins(), s.input(input).buffer, out.buffer], [N, H * W, NAN_BITS], N * H * W);
      return out;
    });
  }

  function topBinsDispatch(s: Scratch, probs: Tensor, k: number): { bins: GpuTensor; probs: GpuTensor } {
    if (probs.shape.length !== 4) throw new Error(`topBins: expected probabilities [N,313,h,w], got [${probs.shape.join('x')}]`);
    const [N, C, H, W] = probs.shape;
    if (!(Number.isInteger(k) && k >= 1 && k <= C)) throw new Error(`topBins: k must be 1..${C}, got ${k}`);
    const idx = gpu.gpuTensor([N, k, H, W], 'int32', 'top-bins'), val = gpu.gpuTensor([N, k, H, W], 'float32', 'top-probs');
    run(s, TOPK, [s.input(probs).buffer, idx.buffer, val.buffer], [N, C, H * W, k], N * H * W);
    return { bins: idx, probs: val };
  }

  return {
    async rgbToLab(image) { return scratch((s) => rgbToLabDispatch(s, image)); },
    async labToRgb(lab) {
      if (lab.shape.length !== 4 || lab.shape[0] !== 1 || lab.shape[1] !== 3) throw new Error(`labToRgb: expected Lab [1,3,H,W], got [${lab.shape.join('x')}]`);
      const [, , H, W] = lab.shape;
      return scratch((s) => {
        const src = s.input(lab);
        return downloadRgba(labToRgbDispatch(s, src, W, src, H * W, H * W, 1, W, H), W, H);
      });
    },
    async normalizeLab(t, part) { return part === 'L' ? affine(t, 1, -50, 50) : affine(t, 1, 0, 110); },
    async denormalizeLab(t, part) { return part === 'L' ? affine(t, 50, 50, 1) : affine(t, 110, 0, 1); },
    async sliceChannels(t, start, count) {
      const [N, C, H, W] = t.shape;
      if (t.shape.length !== 4 || start < 0 || count < 1 || start + count > C) throw new Error(`sliceChannels: channels ${start}..${start + count - 1} of [${t.shape.join('x')}]`);
      return scratch((s) => {
        const src = s.input(t);
        const out = gpu.gpuTensor([N, count, H, W], t.dtype, 'slice');
        const enc = gpu.device.createCommandEncoder();
        const plane = H * W * 4;
        for (let n = 0; n < N; n++) enc.copyBufferToBuffer(src.buffer, (n * C + start) * plane, out.buffer, n * count * plane, count * plane);
        gpu.device.queue.submit([enc.finish()]);
        return out;
      });
    },
    async dropChroma(image) {
      const n = image.width * image.height;
      const out = await scratch((s) => {
        const lab = s.keep(rgbToLabDispatch(s, image).buffer);
        const labT: GpuTensor = { location: 'gpu', dtype: 'float32', shape: [1, 3, image.height, image.width], buffer: lab };
        return downloadRgba(labToRgbDispatch(s, labT, image.width, labT, n, n, 0, image.width, image.height), image.width, image.height);
      });
      for (let p = 0; p < n; p++) out.data[4 * p + 3] = image.data[4 * p + 3];
      return { ...out, meta: { ...image.meta, hadColor: false } };
    },

    async rgbToLab8(image) { return bytesToBytes(RGB_TO_LAB8, image); },
    async lab8ToRgb(lab8) { return bytesToBytes(LAB8_TO_RGB, lab8); },

    async resize(t, size, opts) { return scratch((s) => resizeDispatch(s, t, size, opts)); },
    async resizeImage(image, size) { return resizeImageU8(image, size); },
    async resizeToWorking(lab, size, keepAspect, fullSize) {
      const plan = workingPlan(lab.content, size, keepAspect, fullSize);
      return { lab: await scratch((s) => resizeDispatch(s, lab.lab, plan.size, plan.opts)), content: plan.content };
    },
    async recombine(photo, abN, content) {
      const out = checkRecombine(photo.lab.shape, photo.content, abN.shape, content);
      return scratch((s) => {
        const big = resizeDispatch(s, abN, out, { from: content });
        s.keep(big.buffer);
        const n = out.width * out.height;
        const rgba = labToRgbDispatch(s, s.input(photo.lab), photo.lab.shape[3], big, 0, n, 110, out.width, out.height);
        return downloadRgba(rgba, out.width, out.height);
      });
    },

    async encodeAb(abN) { return perPixel(ENCODE, abN, 2, 1, 'int32'); },
    async softEncodeAb(abN) { return perPixel(SOFT_ENCODE, abN, 2, NUM_BINS, 'float32'); },
    async decodeBins(labels) { return perPixel(DECODE, labels, 1, 2, 'float32'); },
    async softmaxChannels(logits) {
      if (logits.shape.length !== 4) throw new Error(`softmax: expected [N,C,H,W], got [${logits.shape.join('x')}]`);
      const [N, C, H, W] = logits.shape;
      return scratch((s) => {
        const out = gpu.gpuTensor(logits.shape, 'float32', 'softmax');
        run(s, SOFTMAX, [s.input(logits).buffer, out.buffer], [N, C, H * W], N * H * W);
        return out;
      });
    },

    async topBins(probs, k) { return scratch((s) => topBinsDispatch(s, probs, k)); },
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
      const table = await scratch(async (s) => {
        const top = topBinsDispatch(s, probs, NUM_CANDIDATES);
        s.keep(top.probs.buffer);
        s.keep(top.bins.buffer);
        return gpu.download(top.bins);
      });
      return assignAnchorColors(anchors, (cell) => pickBin(candidatesAt(table, cell), variant));
    },
    async anchorInputs(anchors, gridH, gridW) {
      // Built from the CPU anchor list and uploaded (a few hundred KB at most); nothing is read back.
      const { mask, onehot } = anchorInputArrays(anchors, gridH, gridW);
      return { mask: gpu.upload(mask), onehot: gpu.upload(onehot) };
    },
    async renderColorDist(probs, k) {
      // Readback: the picture is an IMAGE (CPU bytes); only the k-per-token tables come back.
      return scratch(async (s) => {
        const top = topBinsDispatch(s, probs, k);
        s.keep(top.bins.buffer);
        s.keep(top.probs.buffer);
        return renderColorDistImage(await gpu.download(top.bins), await gpu.download(top.probs));
      });
    },
  };
}
