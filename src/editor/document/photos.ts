/**
 * Photo import: a chosen or dropped picture is checked, stored in IndexedDB and its key written to a
 * node's image parameter; stored photos show again as thumbnails after a reload or an open. The
 * decode that checks a photo also gives its pixels to the engine, so a Run need not decode it again.
 */
import { imageParam } from '../../runtime/engine/roles.ts';
import { isDiscoNode, type DiscoNode } from '../graph/def-to-litegraph.ts';
import type { GraphCanvas } from '../graph/graph-canvas.ts';
import type { StatusBoard } from '../graph/node-status.ts';
import { toast } from '../panels/toast.ts';
import { loadPhoto, photoKey, storePhoto } from '../storage/idb.ts';
import { bitmapPixels, photoBitmap, type PhotoPixels } from '../worker/photo-pixels.ts';

export interface PhotoHost {
  readonly view: GraphCanvas;
  readonly status: StatusBoard;
  /** A photo a node may use (`key`: its storage key) and its pixels, as soon as they are known (for the engine). */
  arrived(key: string, blob: Blob, pixels: PhotoPixels): void;
}

export class PhotoImport {
  constructor(private readonly ed: PhotoHost) {}

  /** Stores a photo and points a node's image parameter at it; the photo shows as its thumbnail at once. */
  async set(node: DiscoNode, file: File, param = imageParam(node.def)): Promise<void> {
    if (!param) return void toast(`${node.title} has no image parameter: it cannot take a photo.`, 'error');
    // A file that is no picture (or a damaged one) is refused before it replaces the node's photo;
    // the node says why until a good photo is chosen.
    const refuse = (why: string) => {
      node.paramProblems.set(param, why);
      this.ed.view.redraw();
      toast(why, 'error', 8000);
    };
    if (!file.type.startsWith('image/')) return refuse(`${file.name} is not an image (${file.type || 'unknown type'}): choose a PNG, JPEG or WebP photo`);
    const keyed = photoKey(file);
    let bitmap: ImageBitmap;
    try {
      bitmap = await photoBitmap(file);
    } catch (e) {
      return refuse(`${file.name} cannot be read as a picture (${file.size} bytes; ${(e as Error).message || 'the browser could not decode it'}): the file is damaged or not really ${file.type}`);
    }
    const key = await keyed;
    this.ed.arrived(key, file, bitmapPixels(bitmap));
    await storePhoto(file, key);
    node.setParam(param, key);
    this.ed.status.setThumb(String(node.id), bitmap);
  }

  /** Nodes whose photo is stored show it again (after a reload or opening a file). */
  async restoreThumbs(): Promise<void> {
    for (const node of this.ed.view.graph._nodes.filter(isDiscoNode)) {
      const param = imageParam(node.def);
      const key = param && node.params()[param];
      if (typeof key !== 'string' || !key) continue;
      const blob = await loadPhoto(key);
      if (!blob) continue;
      this.ed.status.setThumb(String(node.id), await this.offer(key, blob));
    }
  }

  /** Decodes a stored photo, hands its pixels to the engine (a Run need not decode it) and resolves with its bitmap. */
  async offer(key: string, blob: Blob): Promise<ImageBitmap> {
    const bitmap = await photoBitmap(blob);
    this.ed.arrived(key, blob, bitmapPixels(bitmap));
    return bitmap;
  }
}
