/** RGB PSNR (docs/disco-method.md §15): 10 log10(255² / MSE) over every pixel and the R, G, B channels; alpha ignored. */
import type { ImageValue } from '../values/types.ts';
import { checkSameSize } from './same-size.ts';

/** Mean squared error over R, G and B of two same-size RGBA images. */
export function mseRgb(a: ImageValue, b: ImageValue): number {
  checkSameSize('MSE', a, b);
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    const dr = a.data[i] - b.data[i], dg = a.data[i + 1] - b.data[i + 1], db = a.data[i + 2] - b.data[i + 2];
    sum += dr * dr + dg * dg + db * db;
  }
  return sum / (3 * a.width * a.height);
}

/** PSNR in dB; Infinity when the RGB channels are identical. */
export function psnr(result: ImageValue, reference: ImageValue): number {
  checkSameSize('PSNR', result, reference);
  const mse = mseRgb(result, reference);
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
