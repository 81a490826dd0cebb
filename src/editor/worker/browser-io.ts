/**
 * HostIO for the browser worker: an image parameter holds the sha256 key of a stored photo; the UI
 * sends the blobs with each run. A photo the UI decoded as it was chosen or dropped comes with its
 * pixels (`putDecoded`), so the Run that follows does not decode it here.
 */
import type { HostIO } from '../../runtime/engine/context.ts';
import type { ImageValue } from '../../runtime/values/types.ts';
import { bitmapPixels, photoBitmap, photoValue, type PhotoPixels } from './photo-pixels.ts';

/** Decoded photos kept until a run takes them (a photo and a reference, and one to spare). */
const KEPT_DECODED = 3;

export class BlobImageIO implements HostIO {
  private readonly blobs = new Map<string, Blob>();
  /** Photos decoded already, oldest first; a run's Load Image takes its photo out. */
  private readonly decoded = new Map<string, ImageValue>();
  /** Photos decoded by `loadImage` itself: a run whose photos came decoded adds none. */
  decodedOnDemand = 0;

  put(key: string, blob: Blob): void {
    this.blobs.set(key, blob);
  }

  /** Stores a photo with its pixels (decoded by the UI thread with photo-pixels.ts, as `loadImage` would). */
  putDecoded(key: string, blob: Blob, pixels: PhotoPixels): void {
    this.put(key, blob);
    this.decoded.delete(key);
    this.decoded.set(key, photoValue(key, blob, pixels));
    for (const old of this.decoded.keys()) {
      if (this.decoded.size <= KEPT_DECODED) break;
      this.decoded.delete(old);
    }
  }

  /** The photo's pixels: the ones that came decoded (handed over once: the run's cache keeps them), else decoded now. */
  async loadImage(ref: string): Promise<ImageValue> {
    const ready = this.decoded.get(ref);
    if (ready) {
      this.decoded.delete(ref);
      return ready;
    }
    const blob = this.get(ref);
    this.decodedOnDemand++;
    let bitmap: ImageBitmap;
    try {
      bitmap = await photoBitmap(blob);
    } catch (e) {
      throw new Error(`the photo ${ref.slice(0, 12)}… (${blob.type || 'unknown type'}, ${blob.size} bytes) cannot be decoded: ${(e as Error).message}`);
    }
    const pixels = bitmapPixels(bitmap);
    bitmap.close();
    return photoValue(ref, blob, pixels);
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
