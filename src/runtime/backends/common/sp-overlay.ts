/**
 * Superpixel boundaries drawn over an image (any size): hard labels at the map's size are sampled
 * nearest (OpenCV INTER_NEAREST: src = floor(dst * in / out)); a pixel is painted when its label
 * differs from its right or lower neighbour's. Shared by both backends (the image is CPU bytes).
 */
import type { ImageValue } from '../../values/types.ts';

export function drawBoundaries(
  image: ImageValue, labels: Int32Array, lh: number, lw: number, rgb: readonly [number, number, number],
): ImageValue {
  const { width: W, height: H } = image;
  const sy = Int32Array.from({ length: H }, (_, y) => Math.min(lh - 1, Math.floor((y * lh) / H)));
  const sx = Int32Array.from({ length: W }, (_, x) => Math.min(lw - 1, Math.floor((x * lw) / W)));
  const label = (x: number, y: number) => labels[sy[y] * lw + sx[x]];
  const data = new Uint8ClampedArray(image.data);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const l = label(x, y);
      const edge = (x + 1 < W && label(x + 1, y) !== l) || (y + 1 < H && label(x, y + 1) !== l);
      if (!edge) continue;
      const o = 4 * (y * W + x);
      data[o] = rgb[0];
      data[o + 1] = rgb[1];
      data[o + 2] = rgb[2];
      data[o + 3] = 255;
    }
  }
  return { width: W, height: H, data, meta: image.meta };
}
