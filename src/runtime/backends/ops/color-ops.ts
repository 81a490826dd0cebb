/**
 * Colour operations: sRGB <-> Lab (docs/disco-method.md §2), OpenCV INTER_LINEAR resizes, the 313 ab bins (§3) and
 * anchor colours (§10). Tensors are NCHW; Lab tensors hold L in 0..100 and unscaled a, b; "normalised"
 * means gray = (L-50)/50 and ab_n = ab/110. Ops that return an ImageValue (CPU bytes) read back on
 * WebGPU by necessity; everything else stays in the backend's memory.
 */
import type { Tensor } from '../../values/tensor.ts';
import type { AnchorsValue, Frame, ImageValue, LabValue } from '../../values/types.ts';

export interface ResizeOptions {
  /** Resize only the top-left `from` region of the input (default: all of it). */
  readonly from?: Frame;
  /** Pad the result bottom/right by edge replication to this size (>= the resize size). */
  readonly padTo?: Frame;
}

export interface TopBins {
  /** int32 [N,k,h,w]: bin indices by descending probability (lowest index first on equal ones). */
  readonly bins: Tensor;
  /** float32 [N,k,h,w]: their probabilities. */
  readonly probs: Tensor;
}

export interface AnchorColorOptions {
  /** 0 = argmax (T=0); n >= 1 = greedy farthest-point pick n among the top-10 (1 = T1, 2 = T2). */
  readonly variant: number;
  /** Reference mode: pooled ab_n [1,2,h,w] (TOKENS.pooledAb); each anchor takes its nearest bin. */
  readonly referenceAb?: Tensor;
}

export interface AnchorInputs {
  /** [1,1,h,w] anchor count per token (2 on a duplicated anchor). */
  readonly mask: Tensor;
  /** [1,313,h,w] one-hot(bin) x mask. */
  readonly onehot: Tensor;
}

export interface ColorOps {
  // ---- colour space (§2) ----
  /** RGBA bytes -> float Lab [1,3,H,W] (u8/255 float sRGB, D65, analytic formula). */
  rgbToLab(image: ImageValue): Promise<Tensor>;
  /** Lab [1,3,H,W] -> RGBA bytes: clip to [0,1] before x255, truncate; alpha 255. Reads back on WebGPU. */
  labToRgb(lab: Tensor): Promise<ImageValue>;
  /** L (0..100) -> gray (L-50)/50, or ab -> ab/110; any shape. */
  normalizeLab(t: Tensor, part: 'L' | 'ab'): Promise<Tensor>;
  /** Inverse of normalizeLab: gray*50+50, or ab_n*110. */
  denormalizeLab(t: Tensor, part: 'L' | 'ab'): Promise<Tensor>;
  /** Channels [start, start+count) of an [N,C,H,W] tensor. */
  sliceChannels(t: Tensor, start: number, count: number): Promise<Tensor>;
  /**
   * OpenCV's 8-bit COLOR_RGB2LAB on RGBA bytes: the result holds [L*255/100, a+128, b+128] in the
   * first three bytes, alpha kept. Bit-exact with cv2 on every backend (integer arithmetic).
   */
  rgbToLab8(image: ImageValue): Promise<ImageValue>;
  /** OpenCV's 8-bit COLOR_LAB2RGB: the inverse packing of rgbToLab8 back to RGBA bytes, alpha kept. */
  lab8ToRgb(lab8: ImageValue): Promise<ImageValue>;
  /** A colour photo's gray version: a = b = 0 in Lab, back to RGB (alpha kept). Reads back on WebGPU. */
  dropChroma(image: ImageValue): Promise<ImageValue>;

  // ---- resize (§2) ----
  /** Float bilinear resize (OpenCV INTER_LINEAR, half-pixel) of [N,C,H,W] to `size`, see ResizeOptions. */
  resize(t: Tensor, size: Frame, opts?: ResizeOptions): Promise<Tensor>;
  /** OpenCV's exact uint8 fixed-point INTER_LINEAR on RGBA bytes (runs on the CPU on every backend). */
  resizeImage(image: ImageValue, size: Frame): Promise<ImageValue>;
  /**
   * A LAB value at the working size (size x size, size a multiple of 16). keepAspect scales the content
   * to fit, edge-pads bottom/right and records the content frame; otherwise the image is stretched.
   * fullSize keeps the content's own size and edge-pads it to multiples of 16 (size is then unused).
   */
  resizeToWorking(lab: LabValue, size: number, keepAspect: boolean, fullSize?: boolean): Promise<LabValue>;
  /**
   * Final step: normalised ab [1,2,h,w] at working size, cropped to `content`, upscaled to the photo's
   * size, x110, joined with the photo's full-resolution L -> RGB. Reads back on WebGPU.
   */
  recombine(photo: LabValue, abN: Tensor, content: Frame): Promise<ImageValue>;

  // ---- the 313 ab bins (§3) ----
  /** Nearest bin of each ab_n pixel (lowest index on exact ties): int32 [N,1,H,W]. */
  encodeAb(abN: Tensor): Promise<Tensor>;
  /** Soft encoding: the 5 nearest bins get exp(-d^2/50), normalised: [N,313,H,W]. */
  softEncodeAb(abN: Tensor): Promise<Tensor>;
  /** Bin labels int32 [N,1,H,W] -> bin centres / 110: [N,2,H,W]. */
  decodeBins(labels: Tensor): Promise<Tensor>;
  /** Softmax over the channel axis (the 313 bins): logits [N,C,H,W] -> probabilities. */
  softmaxChannels(logits: Tensor): Promise<Tensor>;

  // ---- anchor colours (§10) ----
  /** The k most probable bins per token, descending. */
  topBins(probs: Tensor, k: number): Promise<TopBins>;
  /**
   * Sets `bin` and `ab` on every anchor: user and reference anchors (source 'user' or 'reference' with ab) keep their colour (bin =
   * its nearest); others take the variant's pick from `probs` [1,313,h,w], or the reference ab
   * (then `probs` may be undefined).
   */
  anchorColors(probs: Tensor | undefined, anchors: AnchorsValue, opts: AnchorColorOptions): Promise<AnchorsValue>;
  /** The generator's anchor inputs for a gridH x gridW token grid; every anchor must have a bin. */
  anchorInputs(anchors: AnchorsValue, gridH: number, gridW: number): Promise<AnchorInputs>;
  /** A picture of a colour distribution: per token its top-k bins as swatches, bar length = probability. */
  renderColorDist(probs: Tensor, k: number): Promise<ImageValue>;
}
