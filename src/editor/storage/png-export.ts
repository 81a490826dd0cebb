/**
 * Result PNGs that carry their workflow (ComfyUI's `workflow` + `prompt` text chunks), and reading a
 * dropped PNG: its workflow if it has one, else nothing (then it is just a photo).
 */
import { embedWorkflowInPng, isPng, loadWorkflowFromPng } from '../../runtime/workflow/png-chunks.ts';
import type { ExecGraph } from '../../runtime/workflow/exec-format.ts';
import type { NodeDefLookup } from '../../runtime/workflow/params.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';

/** A PNG of `bitmap` with the workflow (and its exec graph) embedded. */
export async function pngWithWorkflow(bitmap: ImageBitmap, workflow: Workflow, prompt: ExecGraph): Promise<Blob> {
  const c = new OffscreenCanvas(bitmap.width, bitmap.height);
  c.getContext('2d')!.drawImage(bitmap, 0, 0);
  const png = new Uint8Array(await (await c.convertToBlob({ type: 'image/png' })).arrayBuffer());
  return new Blob([embedWorkflowInPng(png, workflow, prompt) as Uint8Array<ArrayBuffer>], { type: 'image/png' });
}

/** The workflow in a PNG file, or undefined when it is a plain picture. Throws on a broken workflow. */
export async function workflowInPng(file: Blob, registry: NodeDefLookup): Promise<{ workflow: Workflow; notes: readonly string[] } | undefined> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!isPng(bytes)) return undefined;
  try {
    return loadWorkflowFromPng(bytes, { registry });
  } catch (e) {
    if (/holds no workflow/.test((e as Error).message)) return undefined;
    throw e;
  }
}

export function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
