/** Image-quality metrics for evaluation (docs/disco-method.md §15), on 8-bit RGBA images; alpha is ignored. */
import type { ImageValue } from '../values/types.ts';
import { meanCiede2000 } from './ciede2000.ts';
import { colorfulness } from './colorfulness.ts';
import { psnr } from './psnr.ts';
import { ssim } from './ssim.ts';

export { ciede2000, meanCiede2000, type Lab } from './ciede2000.ts';
export { colorfulness } from './colorfulness.ts';
export { mseRgb, psnr } from './psnr.ts';
export { ssim } from './ssim.ts';
export { checkSameSize } from './same-size.ts';

export interface ImageMetrics {
  /** RGB PSNR in dB vs the reference (Infinity when identical). */
  readonly psnr: number;
  /** Mean SSIM over R, G, B (scikit-image convention). */
  readonly ssim: number;
  /** Mean CIEDE2000 vs the reference. */
  readonly deltaE00: number;
  /** Hasler–Süsstrunk colourfulness of the image itself. */
  readonly colorfulness: number;
}

/** Every metric of `image` against `reference` (same size). */
export function compareImages(image: ImageValue, reference: ImageValue): ImageMetrics {
  return {
    psnr: psnr(image, reference),
    ssim: ssim(image, reference),
    deltaE00: meanCiede2000(image, reference),
    colorfulness: colorfulness(image),
  };
}
