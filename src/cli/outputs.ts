/**
 * Writing results: the output image as PNG with the workflow embedded (`workflow` and `prompt`
 * text chunks, as ComfyUI does), written to a temporary file and renamed so a failed write never
 * leaves a half-written file behind.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RunResult } from '../runtime/engine/executor.ts';
import type { ImageValue } from '../runtime/values/types.ts';
import type { ExecGraph } from '../runtime/workflow/exec-format.ts';
import { serializeWorkflow } from '../runtime/workflow/load.ts';
import { writePngTextChunks } from '../runtime/workflow/png-chunks.ts';
import type { Workflow } from '../runtime/workflow/schema.ts';
import { nodeRegistry } from './execute.ts';
import { encodePng } from './image-io.ts';

/** Writes `bytes` to `path` atomically: a temporary file beside it, then a rename. */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new Error(`${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The image the run produced: the first IMAGE output among the targets, output nodes first. */
export function resultImage(result: RunResult, graph: ExecGraph): { nodeId: string; image: ImageValue } {
  const reg = nodeRegistry();
  for (const id of result.targets) {
    const def = reg.get(graph[id].type);
    const values = result.outputs[id];
    if (!def || !values) continue;
    for (const [name, port] of Object.entries(def.outputs)) {
      if (port.type.name === 'IMAGE' && values[name]) return { nodeId: id, image: values[name] as ImageValue };
    }
  }
  throw new Error('the workflow produced no image: it needs a Save Image or Preview Image node fed by an image');
}

export async function pngWithWorkflow(image: ImageValue, wf: Workflow, graph: ExecGraph): Promise<Uint8Array> {
  const png = await encodePng(image);
  return writePngTextChunks(png, { workflow: serializeWorkflow(wf), prompt: JSON.stringify(graph) });
}
