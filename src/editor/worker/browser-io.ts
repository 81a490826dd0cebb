/**
 * HostIO for the browser worker: an image parameter holds the sha256 key of a stored photo; the UI
 * sends the blobs with each run. Decoding applies EXIF orientation (`imageOrientation: 'from-image'`).
 */
import type { HostIO } from '../../runtime/engine/context.ts';
import type { ImageValue } from '../../runtime/values/types.ts';

export class BlobImageIO implements HostIO {
  private readonly blobs = new Map<string, Blob>();

  put(key: string, blob: Blob): void {
    this.blobs.set(key, blob);
  }

  async loadImage(ref: string): Promise<ImageValue> {
    const blob = this.get(ref);
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image', premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
    } catch (e) {
      throw new Error(`the photo ${ref.slice(0, 12)}… (${blob.type || 'unknown type'}, ${blob.size} bytes) cannot be decoded: ${(e as Error).message}`);
    }
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width, height, data, meta: { source: ref, mime: blob.type } };
  }

  /** Keys are already content hashes. */
  async fingerprint(ref: string): Promise<string> {
    this.get(ref);
    return ref;
  }

  private get(ref: string): Blob {
    if (!ref) throw new Error('no photo chosen (use "choose photo…" or drop a photo on the canvas)');
    const blob = this.blobs.get(ref);
    if (!blob) throw new Error(`photo ${ref.slice(0, 12)}… is not in this browser's storage; choose it again`);
    return blob;
  }
}
