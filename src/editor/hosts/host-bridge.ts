/**
 * What the plugin panel needs from an image editor that hosts it. A new host (GIMP via a shim, a
 * web app…) implements this interface and nothing else changes: the panel asks for the picture,
 * runs the workflow on it and hands back a PNG, which the host adds beside the original.
 */
import type { Workflow } from '../../runtime/workflow/schema.ts';

export interface ResultMeta {
  /** The workflow that made the result (also embedded in the PNG). */
  readonly workflow: Workflow;
  readonly width: number;
  readonly height: number;
  /** A name for the new layer or file. */
  readonly name: string;
}

export interface HostBridge {
  /** Shown in the panel ("Photopea", "File"). */
  readonly name: string;
  /** Resolves when the host can take requests; rejects with the reason when it never will. */
  readonly onReady: Promise<void>;
  /** The picture to colorize (the host's current document), as an image Blob. */
  getImage(): Promise<Blob>;
  /** Adds the result (a PNG, workflow embedded) to the host, keeping the original. */
  putResult(png: Blob, meta: ResultMeta): Promise<void>;
  /** A stable name for the current document, to keep its workflow; undefined if there is none. */
  documentKey(): Promise<string | undefined>;
}

/** `data:` URL of a blob (Photopea's app.open takes URLs; a data URL needs no server). */
export async function blobToDataUrl(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${blob.type || 'application/octet-stream'};base64,${btoa(binary)}`;
}
