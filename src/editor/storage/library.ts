/**
 * The workflow library: workflows saved in the browser under a name, each with a small thumbnail of
 * its result, listed newest first. Entries live in the `library` store of storage/idb.ts.
 */
import { idbAll, idbDelete, idbGet, idbPut } from './idb.ts';

export interface LibraryEntry {
  readonly id: string;
  readonly name: string;
  /** ms since the epoch. */
  readonly savedAt: number;
  /** The workflow file's text. */
  readonly workflow: string;
  /** A small PNG of the result, when there was one. */
  readonly thumb?: Blob;
}

export const THUMB_SIDE = 160;

export async function saveToLibrary(name: string, workflow: string, thumb?: Blob): Promise<LibraryEntry> {
  const clean = name.trim();
  if (!clean) throw new Error('a library entry needs a name');
  const entry: LibraryEntry = { id: `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`, name: clean.slice(0, 200), savedAt: Date.now(), workflow, thumb };
  await idbPut('library', entry.id, entry);
  return entry;
}

export async function listLibrary(): Promise<LibraryEntry[]> {
  return (await idbAll<LibraryEntry>('library')).sort((a, b) => b.savedAt - a.savedAt);
}

export const libraryEntry = (id: string) => idbGet<LibraryEntry>('library', id);
export const deleteFromLibrary = (id: string) => idbDelete('library', id);

/** A PNG at most THUMB_SIDE pixels on its longer side. */
export async function thumbnailPng(bitmap: ImageBitmap): Promise<Blob> {
  const s = Math.min(1, THUMB_SIDE / Math.max(bitmap.width, bitmap.height));
  const c = new OffscreenCanvas(Math.max(1, Math.round(bitmap.width * s)), Math.max(1, Math.round(bitmap.height * s)));
  const ctx = c.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, c.width, c.height);
  return c.convertToBlob({ type: 'image/png' });
}
