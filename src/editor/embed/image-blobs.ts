/**
 * Images in and out of the embed API: an ImageBitmap (or raw pixels) as a PNG Blob, and a result
 * PNG with the workflow that made it embedded as text chunks (ComfyUI's `workflow` + `prompt`).
 */
import { embedWorkflowInPng } from '../../runtime/workflow/png-chunks.ts';
import type { ExecGraph } from '../../runtime/workflow/exec-format.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';

/** Encodes a bitmap as PNG (lossless: alpha stays as is, no colour management on a 2D canvas). */
export async function bitmapToPng(bitmap: ImageBitmap): Promise<Blob> {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

/** A PNG of `bitmap` carrying `workflow` (and its exec graph) so the editor and the CLI can reopen it. */
export async function resultPng(bitmap: ImageBitmap, workflow: Workflow, exec?: ExecGraph): Promise<Blob> {
  const png = new Uint8Array(await (await bitmapToPng(bitmap)).arrayBuffer());
  return new Blob([embedWorkflowInPng(png, workflow, exec) as Uint8Array<ArrayBuffer>], { type: 'image/png' });
}

/** A Blob the browser can decode as an image, from what a caller handed `loadImage`. */
export async function toImageBlob(image: Blob | ImageBitmap): Promise<Blob> {
  if (typeof ImageBitmap !== 'undefined' && image instanceof ImageBitmap) return bitmapToPng(image);
  if (!(image instanceof Blob)) throw new TypeError(`loadImage takes a Blob, File or ImageBitmap, not ${describe(image)}`);
  if (image.type && !image.type.startsWith('image/')) throw new TypeError(`loadImage: the blob is ${image.type}, not an image`);
  try {
    (await createImageBitmap(image)).close();
  } catch (e) {
    throw new TypeError(`loadImage: this ${image.type || 'blob'} (${image.size} bytes) cannot be decoded as an image: ${(e as Error).message}`);
  }
  return image;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'an object';
}
