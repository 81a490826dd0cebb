/**
 * Writing results: the output image as PNG with the workflow embedded (`workflow` and `prompt`
 * text chunks, as ComfyUI does), written to a temporary file and renamed so a failed write never
 * leaves a half-written file behind. Temporary files of writers that were killed (kill -9, power
 * loss) are removed by the next process that writes to the same folder (on its first write there).
 */
import { lstat, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RunResult } from '../runtime/engine/executor.ts';
import type { ImageValue } from '../runtime/values/types.ts';
import type { ExecGraph } from '../runtime/workflow/exec-format.ts';
import { embedWorkflowInPng } from '../runtime/workflow/png-chunks.ts';
import type { Workflow } from '../runtime/workflow/schema.ts';
import { execGraphOf, nodeRegistry } from './execute.ts';
import { encodePng } from './image-io.ts';
import { rebaseImagePaths } from './workflow-file.ts';

/** `.<name>.<pid>.tmp`: what writeFileAtomic writes before the rename. */
const TEMP_NAME = /^\..+\.(\d+)\.tmp$/;

/** False when no process `pid` exists (EPERM means it exists, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes our temporary files in `dir` whose writer is gone. Best effort: a failure here never stops a write. */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    const file = join(dir, name);
    const isFile = await lstat(file).then((s) => s.isFile(), () => false);
    if (isFile && (await rm(file).then(() => true, () => false))) removed.push(name);
  }
  return removed;
}

/** Folders this process has cleaned: once each (a batch writes thousands of files to one folder). */
const cleaned = new Set<string>();

/** Writes `bytes` to `path` atomically: a temporary file beside it, then a rename. */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (!cleaned.has(dirname(path))) {
    cleaned.add(dirname(path));
    await removeStaleTempFiles(dirname(path));
  }
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

/**
 * Writes the result as PNG with its workflow embedded. Image paths in the embedded workflow are
 * made relative to the PNG's folder (from `baseDir`, the workflow's), so the PNG re-runs from there.
 */
export async function writeResultPng(path: string, image: ImageValue, wf: Workflow, baseDir: string): Promise<void> {
  const portable = rebaseImagePaths(wf, baseDir, dirname(path), nodeRegistry());
  const png = await encodePng(image);
  await writeFileAtomic(path, embedWorkflowInPng(png, portable, execGraphOf(portable)));
}

/**
 * Where a Save Image node's result goes when no --output is given: `<prefix>_NNNNN.png` in `dir`,
 * with the next free counter (ComfyUI's convention), so earlier results are never overwritten.
 */
export async function nextSavePath(dir: string, prefix: string): Promise<string> {
  const existing = await readdir(dir).catch(() => [] as string[]);
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_(\\d{5})\\.png$`);
  const used = existing.map((f) => pattern.exec(f)?.[1]).filter(Boolean).map(Number);
  const next = (used.length ? Math.max(...used) : 0) + 1;
  return join(dir, `${prefix}_${String(next).padStart(5, '0')}.png`);
}
