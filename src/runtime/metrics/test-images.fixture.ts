/**
 * Deterministic test images, defined by integer formulas that a Python script can repeat
 * (ssim.test.ts shows the scikit-image check).
 */
import type { ImageValue } from '../values/types.ts';

export function image(width: number, height: number, value: (x: number, y: number, c: number) => number): ImageValue {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) data[4 * (y * width + x) + c] = value(x, y, c);
      data[4 * (y * width + x) + 3] = 255;
    }
  }
  return { width, height, data };
}

/** A textured image: A(x, y, c) = (7x² + 13y + 5xy + 71c + 11) mod 256. */
export const texA = (w: number, h: number): ImageValue => image(w, h, (x, y, c) => (7 * x * x + 13 * y + 5 * x * y + 71 * c + 11) % 256);

/** A perturbed A: clamp(A + ((3x + 5y + c) mod 21) - 10, 0, 255). */
export const texB = (w: number, h: number): ImageValue =>
  image(w, h, (x, y, c) => Math.min(255, Math.max(0, ((7 * x * x + 13 * y + 5 * x * y + 71 * c + 11) % 256) + ((3 * x + 5 * y + c) % 21) - 10)));

/** A smooth gradient with a colour cast: G(x, y, c) = (9x + 4y + 40c) mod 256. */
export const gradient = (w: number, h: number): ImageValue => image(w, h, (x, y, c) => (9 * x + 4 * y + 40 * c) % 256);

/** The gradient with structured noise: clamp(G + ((xy + 7c) mod 40) - 20, 0, 255). */
export const gradientNoisy = (w: number, h: number): ImageValue =>
  image(w, h, (x, y, c) => Math.min(255, Math.max(0, ((9 * x + 4 * y + 40 * c) % 256) + ((x * y + 7 * c) % 40) - 20)));
