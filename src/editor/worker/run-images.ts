/**
 * A run's images as bitmaps, each made once from the pixels where they are (no copy first): a
 * node's thumbnail and the full-size image the viewer shows come from the same bitmap when both are
 * asked for, and nodes that pass an image on (Save Image) share the one of the node that made it.
 */
import type { ImageValue } from '../../runtime/values/types.ts';

export class RunImages {
  private readonly full = new Map<ImageValue, Promise<ImageBitmap>>();

  /**
   * A downscaled copy for a node thumbnail: from the full-size bitmap if it is made already, else
   * straight from the pixels (a 1024x768 photo: 1-3 ms instead of 10-15 ms through a full-size
   * bitmap, which most images, all but the viewed one, never need).
   */
  async thumbnail(img: ImageValue, maxSide = 320): Promise<ImageBitmap> {
    const s = Math.min(1, maxSide / Math.max(img.width, img.height));
    const size: ImageBitmapOptions = {
      resizeWidth: Math.max(1, Math.round(img.width * s)), resizeHeight: Math.max(1, Math.round(img.height * s)), resizeQuality: 'medium',
    };
    const made = this.full.get(img);
    return made ? createImageBitmap(await made, size) : createImageBitmap(imageDataOf(img), size);
  }

  /** The image at full size, to transfer: from here on the caller owns it. */
  async take(img: ImageValue): Promise<ImageBitmap> {
    const b = await this.bitmap(img);
    this.full.delete(img);
    return b;
  }

  /** Frees the bitmaps nobody took (call once every thumbnail asked for has been made). */
  async close(): Promise<void> {
    const all = [...this.full.values()];
    this.full.clear();
    for (const b of all) (await b.catch(() => undefined))?.close();
  }

  private bitmap(img: ImageValue): Promise<ImageBitmap> {
    let b = this.full.get(img);
    if (!b) this.full.set(img, (b = createImageBitmap(imageDataOf(img))));
    return b;
  }
}

/** The image as ImageData, on its own pixels when they fill an ArrayBuffer of their own (else a copy). */
export function imageDataOf(img: ImageValue): ImageData {
  const d = img.data;
  const own = d.buffer instanceof ArrayBuffer && d.byteOffset === 0 && d.byteLength === d.buffer.byteLength;
  return new ImageData(own ? (d as Uint8ClampedArray<ArrayBuffer>) : new Uint8ClampedArray(d), img.width, img.height);
}
