/**
 * CIEDE2000 colour difference (CIE 142-2001), following Sharma, Wu and Dalal 2005 ("The CIEDE2000
 * color-difference formula: implementation notes, supplementary test data, and mathematical
 * observations"), with kL = kC = kH = 1. Images are compared pixel by pixel through the project's
 * sRGB -> Lab (backends/cpu/lab.ts: D65, OpenCV's constants, analytic).
 */
import { rgbToLabPixel } from '../backends/cpu/lab.ts';
import type { ImageValue } from '../values/types.ts';
import { checkSameSize } from './same-size.ts';

export type Lab = readonly [L: number, a: number, b: number];

const DEG = Math.PI / 180;
const POW25_7 = 25 ** 7;

/** Hue angle in degrees, 0..360; 0 for a neutral colour. */
const hueDeg = (b: number, a: number): number => {
  if (a === 0 && b === 0) return 0;
  const h = Math.atan2(b, a) / DEG;
  return h < 0 ? h + 360 : h;
};

export function ciede2000(lab1: Lab, lab2: Lab): number {
  const [L1, a1, b1] = lab1;
  const [L2, a2, b2] = lab2;
  const cBar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const cBar7 = cBar ** 7;
  const g = 0.5 * (1 - Math.sqrt(cBar7 / (cBar7 + POW25_7)));
  const a1p = (1 + g) * a1, a2p = (1 + g) * a2;
  const c1p = Math.hypot(a1p, b1), c2p = Math.hypot(a2p, b2);
  const h1p = hueDeg(b1, a1p), h2p = hueDeg(b2, a2p);

  const dLp = L2 - L1;
  const dCp = c2p - c1p;
  let dhp = 0;
  if (c1p * c2p !== 0) {
    dhp = h2p - h1p;
    if (dhp > 180) dhp -= 360;
    else if (dhp < -180) dhp += 360;
  }
  const dHp = 2 * Math.sqrt(c1p * c2p) * Math.sin((dhp / 2) * DEG);

  const lBarP = (L1 + L2) / 2;
  const cBarP = (c1p + c2p) / 2;
  let hBarP = h1p + h2p;
  if (c1p * c2p !== 0) {
    if (Math.abs(h1p - h2p) <= 180) hBarP /= 2;
    else hBarP = hBarP < 360 ? (hBarP + 360) / 2 : (hBarP - 360) / 2;
  }
  const t = 1 - 0.17 * Math.cos((hBarP - 30) * DEG) + 0.24 * Math.cos(2 * hBarP * DEG)
    + 0.32 * Math.cos((3 * hBarP + 6) * DEG) - 0.2 * Math.cos((4 * hBarP - 63) * DEG);
  const dTheta = 30 * Math.exp(-(((hBarP - 275) / 25) ** 2));
  const cBarP7 = cBarP ** 7;
  const rC = 2 * Math.sqrt(cBarP7 / (cBarP7 + POW25_7));
  const l50 = (lBarP - 50) ** 2;
  const sL = 1 + (0.015 * l50) / Math.sqrt(20 + l50);
  const sC = 1 + 0.045 * cBarP;
  const sH = 1 + 0.015 * cBarP * t;
  const rT = -Math.sin(2 * dTheta * DEG) * rC;
  const l = dLp / sL, c = dCp / sC, h = dHp / sH;
  return Math.sqrt(l * l + c * c + h * h + rT * c * h);
}

/** Mean CIEDE2000 over all pixels (alpha ignored). */
export function meanCiede2000(result: ImageValue, reference: ImageValue): number {
  checkSameSize('CIEDE2000', result, reference);
  const x = result.data, y = reference.data;
  let sum = 0;
  for (let i = 0; i < x.length; i += 4) {
    const p = rgbToLabPixel(x[i] / 255, x[i + 1] / 255, x[i + 2] / 255);
    const q = rgbToLabPixel(y[i] / 255, y[i + 1] / 255, y[i + 2] / 255);
    sum += ciede2000(p, q);
  }
  return sum / (result.width * result.height);
}
