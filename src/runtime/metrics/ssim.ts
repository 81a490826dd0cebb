/**
 * SSIM (Wang et al. 2004) with scikit-image's convention, i.e. what
 * `structural_similarity(a, b, channel_axis=-1, gaussian_weights=True, sigma=1.5,
 * use_sample_covariance=False, data_range=255)` returns:
 * - local statistics by a Gaussian filter, sigma 1.5 truncated at 3.5 sigma (radius 5, an 11-tap
 *   window), separable, with scipy's 'reflect' borders (d c b a | a b c d);
 * - population (not sample) variances and covariance; C1 = (0.01 L)², C2 = (0.03 L)², L = 255;
 * - the mean of the SSIM map after cropping 5 pixels (the window radius) off every side;
 * - computed per R, G, B channel (float64) and averaged over the three. Alpha is ignored.
 * Both sides must be at least 11 pixels, as in scikit-image.
 */
import type { ImageValue } from '../values/types.ts';
import { checkSameSize } from './same-size.ts';

const SIGMA = 1.5;
const RADIUS = Math.trunc(3.5 * SIGMA + 0.5); // 5
const WINDOW = 2 * RADIUS + 1; // 11
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

const KERNEL = (() => {
  const k = new Float64Array(WINDOW);
  let sum = 0;
  for (let i = 0; i < WINDOW; i++) sum += k[i] = Math.exp((-0.5 * (i - RADIUS) ** 2) / (SIGMA * SIGMA));
  return k.map((v) => v / sum);
})();

/** scipy 'reflect': the edge sample is repeated (half-sample symmetric). Valid while RADIUS <= n. */
const reflect = (i: number, n: number): number => (i < 0 ? -i - 1 : i >= n ? 2 * n - 1 - i : i);

/** Separable Gaussian correlation of a W x H plane. */
function gaussian(src: Float64Array, W: number, H: number): Float64Array {
  const tmp = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    const row = y * W;
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += KERNEL[k] * src[row + reflect(x + k - RADIUS, W)];
      tmp[row + x] = s;
    }
  }
  const out = new Float64Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let k = 0; k < WINDOW; k++) s += KERNEL[k] * tmp[reflect(y + k - RADIUS, H) * W + x];
      out[y * W + x] = s;
    }
  }
  return out;
}

/** Mean SSIM of one channel (0 = R, 1 = G, 2 = B). */
function channelSsim(a: ImageValue, b: ImageValue, c: number): number {
  const { width: W, height: H } = a;
  const n = W * H;
  const x = new Float64Array(n), y = new Float64Array(n);
  const xx = new Float64Array(n), yy = new Float64Array(n), xy = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const u = a.data[4 * p + c], v = b.data[4 * p + c];
    x[p] = u;
    y[p] = v;
    xx[p] = u * u;
    yy[p] = v * v;
    xy[p] = u * v;
  }
  const ux = gaussian(x, W, H), uy = gaussian(y, W, H);
  const uxx = gaussian(xx, W, H), uyy = gaussian(yy, W, H), uxy = gaussian(xy, W, H);
  let sum = 0;
  for (let r = RADIUS; r < H - RADIUS; r++) {
    for (let q = RADIUS; q < W - RADIUS; q++) {
      const p = r * W + q;
      const mx = ux[p], my = uy[p];
      const vx = uxx[p] - mx * mx, vy = uyy[p] - my * my, cxy = uxy[p] - mx * my;
      sum += ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
    }
  }
  return sum / ((H - 2 * RADIUS) * (W - 2 * RADIUS));
}

/** Mean SSIM over R, G and B; 1 for identical images. */
export function ssim(result: ImageValue, reference: ImageValue): number {
  checkSameSize('SSIM', result, reference);
  if (result.width < WINDOW || result.height < WINDOW) {
    throw new Error(`SSIM: images must be at least ${WINDOW}x${WINDOW} (the Gaussian window), got ${result.width}x${result.height}`);
  }
  return (channelSsim(result, reference, 0) + channelSsim(result, reference, 1) + channelSsim(result, reference, 2)) / 3;
}
