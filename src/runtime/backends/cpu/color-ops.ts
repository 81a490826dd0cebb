/** CPU reference implementations of ColorOps (the kernels live in lab.ts, resize.ts, ab-bins.ts, anchor-colors.ts). */
import { cpuTensor, type CpuTensor, type Tensor } from '../../values/tensor.ts';
import type { ColorOps } from '../ops/color-ops.ts';
import type { Frame, ImageValue, LabValue } from '../../values/types.ts';
import { AB_SCALE, NUM_BINS } from '../common/ab-bins.ts';
import { decodeBinsTensor, encodeAbTensor, softEncodeAbTensor, softmaxChannelsTensor } from './ab-bins.ts';
import {
  anchorInputArrays, assignAnchorColors, candidatesOf, checkGrid, NUM_CANDIDATES, pickBin, referenceBinAt,
  renderColorDistImage, topBinsTensor,
} from './anchor-colors.ts';
import { dropChromaImage, fastLabToRgba, lab8ToRgb, labPlanesToImage, labToRgbImage, rgbToLab8, rgbToLabImage } from './lab.ts';
import { simdColumns } from '../common/opencv-lab-tables.ts';
import { checkRecombine, taps, workingPlan } from '../common/resize-plan.ts';
import { hostKernels } from './host-kernels.ts';
import { wasmLabKernels, type LabKernels, type LabToRgbaKernel } from './simd/lab-wasm.ts';
import { resizeFloat, resizeImageU8, resizeRowsInto } from './resize.ts';

/** Pixels per strip when Recombine resizes ab on the way (a few hundred KB of scratch). */
const STRIP_PIXELS = 65536;

export function asCpu(t: Tensor, what: string): CpuTensor {
  if (t.location !== 'cpu') throw new Error(`${what}: the CPU backend was handed a GPU tensor (${t.shape.join('x')})`);
  return t;
}

/** fn over every element (a plain loop: Float32Array.from with a map function is many times slower). */
function map(t: CpuTensor, fn: (v: number) => number): CpuTensor {
  const src = t.data, out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = fn(src[i]);
  return cpuTensor(t.shape, out);
}

/** Three bytes per pixel into a copy of `image` (its alpha kept). */
function withAlpha(image: ImageValue, rgb: Uint8Array): ImageValue {
  const n = image.width * image.height, data = new Uint8ClampedArray(4 * n);
  for (let p = 0; p < n; p++) data.set([rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2], image.data[4 * p + 3]], 4 * p);
  return { width: image.width, height: image.height, data };
}

/**
 * Recombine: the photo's L joined with ab (normalised, at working size) cropped to `content` and
 * resized to the photo. `wasm`: the WebAssembly version of the strips below (the same bytes; default:
 * where WebAssembly runs; null for the TypeScript loops). Unless `wasm` is null, the host's kernels
 * run instead where there are some (host-kernels.ts; the CLI's native ones).
 */
export function recombineLab(photo: LabValue, abN: Tensor, content: Frame, wasm: LabKernels | null = wasmLabKernels()): ImageValue {
  const lab = asCpu(photo.lab, 'recombine'), ab = asCpu(abN, 'recombine');
  const out = checkRecombine(lab.shape, photo.content, ab.shape, content);
  // ab already at the photo's size (e.g. a 256×256 photo) is read as it is, as are L's rows when
  // they are whole rows of the photo's Lab: no copies, only the output is new memory.
  const [abH, abW] = [ab.shape[2], ab.shape[3]];
  const n = out.width * out.height, W = lab.shape[3], ow = out.width;
  if (content.width === abW && content.height === abH && out.width === abW && out.height === abH && ow === W) {
    return labPlanesToImage(lab.data.subarray(0, n), ab.data.subarray(0, n), ab.data.subarray(n, 2 * n), ow, AB_SCALE, wasm && fastLabToRgba());
  }
  const data = new Uint8ClampedArray(4 * n);
  const host = wasm ? hostKernels() : {};
  const hostJoin = host.resizePlanes && lab.data instanceof Float32Array && ab.data instanceof Float32Array ? host.labToRgba : undefined;
  if (!hostJoin && wasm && lab.data instanceof Float32Array && ab.data instanceof Float32Array) {
    const r = { tx: taps(content.width, ow), ty: taps(content.height, out.height), ow }, hw = abH * abW;
    wasm.recombineRows(lab.data, W, ab.data.subarray(0, hw), ab.data.subarray(hw, 2 * hw), abW, r, AB_SCALE, simdColumns(ow), 0, out.height, data);
    return { width: ow, height: out.height, data };
  }
  // Otherwise strips of rows, with the host's kernels (the CLI's native ones) or the TypeScript
  // loops: ab resized to the photo for one strip at a time (the same values as resizing it whole),
  // so the photo-sized ab (8 bytes a pixel) is never made, then joined with L's rows (read in place
  // when they are whole rows of the Lab) into the output.
  const join: LabToRgbaKernel = hostJoin ?? ((L, a, b, width, _simd, scale, o) => o.set(labPlanesToImage(L, a, b, width, scale, null).data));
  const rows = Math.max(1, Math.floor(STRIP_PIXELS / ow)), abStrip = new Float32Array(2 * rows * ow);
  const lStrip = ow === W ? null : new Float32Array(rows * ow);
  for (let y0 = 0; y0 < out.height; y0 += rows) {
    const y1 = Math.min(out.height, y0 + rows), m = (y1 - y0) * ow;
    resizeRowsInto(ab, out, { from: content }, y0, y1, abStrip, hostJoin ? wasm : null);
    if (lStrip) for (let y = y0; y < y1; y++) lStrip.set(lab.data.subarray(y * W, y * W + ow), (y - y0) * ow);
    const L = lStrip ? lStrip.subarray(0, m) : lab.data.subarray(y0 * W, y1 * W);
    join(L, abStrip.subarray(0, m), abStrip.subarray(m, 2 * m), ow, simdColumns(ow), AB_SCALE, data.subarray(4 * y0 * ow, 4 * y1 * ow));
  }
  return { width: ow, height: out.height, data };
}

export const cpuColorOps: ColorOps = {
  async rgbToLab(image) { return rgbToLabImage(image); },
  async labToRgb(lab) {
    const t = asCpu(lab, 'labToRgb');
    if (t.shape.length !== 4 || t.shape[0] !== 1 || t.shape[1] !== 3) throw new Error(`labToRgb: expected Lab [1,3,H,W], got [${t.shape.join('x')}]`);
    return labToRgbImage(t);
  },
  async normalizeLab(t, part) {
    return part === 'L' ? map(asCpu(t, 'normalizeLab'), (v) => (v - 50) / 50) : map(asCpu(t, 'normalizeLab'), (v) => v / AB_SCALE);
  },
  async denormalizeLab(t, part) {
    return part === 'L'
      ? map(asCpu(t, 'denormalizeLab'), (v) => Math.fround(v * 50) + 50)
      : map(asCpu(t, 'denormalizeLab'), (v) => v * AB_SCALE);
  },
  async sliceChannels(t, start, count) {
    const c = asCpu(t, 'sliceChannels');
    const [N, C, H, W] = c.shape;
    if (c.shape.length !== 4 || start < 0 || count < 1 || start + count > C) throw new Error(`sliceChannels: channels ${start}..${start + count - 1} of [${c.shape.join('x')}]`);
    const out = new Float32Array(N * count * H * W);
    for (let n = 0; n < N; n++) out.set(c.data.subarray((n * C + start) * H * W, (n * C + start + count) * H * W), n * count * H * W);
    return cpuTensor([N, count, H, W], out);
  },
  async dropChroma(image) { return dropChromaImage(image); },
  async rgbToLab8(image) { return withAlpha(image, rgbToLab8(image.data, image.width * image.height, 4)); },
  async lab8ToRgb(lab8) { return withAlpha(lab8, lab8ToRgb(lab8.data, lab8.width * lab8.height, 4)); },

  async resize(t, size, opts) { return resizeFloat(asCpu(t, 'resize'), size, opts); },
  async resizeImage(image, size) { return resizeImageU8(image, size); },
  async resizeToWorking(lab, size, keepAspect, fullSize) {
    const plan = workingPlan(lab.content, size, keepAspect, fullSize);
    return { lab: resizeFloat(asCpu(lab.lab, 'resizeToWorking'), plan.size, plan.opts), content: plan.content };
  },
  async recombine(photo, abN, content) { return recombineLab(photo, abN, content); },

  async encodeAb(abN) { return encodeAbTensor(asCpu(abN, 'encodeAb')); },
  async softEncodeAb(abN) { return softEncodeAbTensor(asCpu(abN, 'softEncodeAb')); },
  async decodeBins(labels) { return decodeBinsTensor(asCpu(labels, 'decodeBins')); },
  async softmaxChannels(logits) { return softmaxChannelsTensor(asCpu(logits, 'softmaxChannels')); },

  async topBins(probs, k) { return topBinsTensor(asCpu(probs, 'topBins'), k); },
  async anchorColors(probs, anchors, { variant, referenceAb }) {
    if (referenceAb) {
      const ref = asCpu(referenceAb, 'anchorColors');
      checkGrid(ref.shape, anchors, 2, 'anchorColors (reference ab)');
      return assignAnchorColors(anchors, (cell) => referenceBinAt(ref, cell));
    }
    if (!probs) throw new Error('anchorColors: colour probabilities are needed unless a reference ab is given');
    const p = asCpu(probs, 'anchorColors');
    checkGrid(p.shape, anchors, NUM_BINS, 'anchorColors (probabilities)');
    // Only the anchors' tokens need candidates.
    return assignAnchorColors(anchors, (cell) => pickBin(candidatesOf(p, cell), variant));
  },
  async anchorInputs(anchors, gridH, gridW) { return anchorInputArrays(anchors, gridH, gridW); },
  async renderColorDist(probs, k) {
    const top = topBinsTensor(asCpu(probs, 'renderColorDist'), k);
    return renderColorDistImage(top.bins, top.probs);
  },
};

