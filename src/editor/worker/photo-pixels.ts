/**
 * How a photo becomes pixels, the same on the UI thread (which decodes a photo as it is chosen or
 * dropped, and hands the pixels to the engine) and in the engine worker (a photo it has no pixels
 * for): EXIF orientation applied, values as stored (no premultiplied alpha, no colour-space change).
 */
import type { ImageValue } from '../../runtime/values/types.ts';

/** Decodes a picture; rejects when the browser cannot. */
export const photoBitmap = (blob: Blob): Promise<ImageBitmap> =>
  createImageBitmap(blob, { imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none' });

/** The bitmap's RGBA pixels (the bitmap stays open). */
export function bitmapPixels(bitmap: ImageBitmap): ImageData {
  const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

/** RGBA pixels, row-major (an ImageData, or one sent between threads). */
export interface PhotoPixels {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray<ArrayBuffer>;
}

/** Pixels as the engine's IMAGE value of the photo stored under `key`. */
export const photoValue = (key: string, blob: Blob, { width, height, data }: PhotoPixels): ImageValue =>
  ({ width, height, data, meta: { source: key, mime: blob.type } });
