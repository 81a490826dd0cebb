/**
 * Colourfulness (Hasler and Süsstrunk 2003, docs/disco-method.md §15) on 0-255 RGB: rg = R - G, yb = (R + G)/2 - B;
 * CF = sqrt(sd(rg)² + sd(yb)²) + 0.3 sqrt(mean(rg)² + mean(yb)²), sd the population standard deviation
 * (numpy's default, as the usual scripts use). A gray image scores 0.
 */
import type { ImageValue } from '../values/types.ts';

export function colorfulness(image: ImageValue): number {
  const n = image.width * image.height;
  if (n === 0) throw new Error(`colourfulness: the image has no pixels (${image.width}x${image.height})`);
  const d = image.data;
  let sRg = 0, sYb = 0;
  for (let i = 0; i < d.length; i += 4) {
    sRg += d[i] - d[i + 1];
    sYb += (d[i] + d[i + 1]) / 2 - d[i + 2];
  }
  const mRg = sRg / n, mYb = sYb / n;
  // Second pass on deviations: exact for integer-valued data, no cancellation.
  let vRg = 0, vYb = 0;
  for (let i = 0; i < d.length; i += 4) {
    const rg = d[i] - d[i + 1] - mRg, yb = (d[i] + d[i + 1]) / 2 - d[i + 2] - mYb;
    vRg += rg * rg;
    vYb += yb * yb;
  }
  return Math.sqrt(vRg / n + vYb / n) + 0.3 * Math.sqrt(mRg * mRg + mYb * mYb);
}
