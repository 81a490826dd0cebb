/**
 * Reading workflows from disk (JSON, or a PNG that embeds one) and the edits the CLI makes to them
 * before a run: the input photo and `--set node.param=value`.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { NodeRole } from '../runtime/engine/node-def.ts';
import type { NodeRegistry } from '../runtime/engine/registry.ts';
import { imageParam, roleOf } from '../runtime/engine/roles.ts';
import { MAX_IMAGE_FILE_BYTES, readRegularFile } from '../runtime/read-regular-file.ts';
import { setParam } from '../runtime/workflow/build.ts';
import { loadWorkflow } from '../runtime/workflow/load.ts';
import { isPng, loadWorkflowFromPng } from '../runtime/workflow/png-chunks.ts';
import type { Workflow } from '../runtime/workflow/schema.ts';
import { UsageError } from './usage-error.ts';

export interface LoadedFile {
  readonly workflow: Workflow;
  readonly notes: readonly string[];
  /** Relative image paths inside the workflow resolve against this folder. */
  readonly baseDir: string;
}

export async function readWorkflowFile(path: string, registry: NodeRegistry): Promise<LoadedFile> {
  // A workflow is JSON (its size is checked by loadWorkflow) or a PNG, which may be as large as an image.
  const bytes = await readRegularFile(path, { what: 'workflow', maxBytes: MAX_IMAGE_FILE_BYTES });
  try {
    const loaded = isPng(bytes)
      ? loadWorkflowFromPng(new Uint8Array(bytes), { registry })
      : loadWorkflow(bytes.toString('utf8'), { registry });
    return { ...loaded, baseDir: dirname(resolve(path)) };
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/**
 * The workflow's image-file parameters (Load Image's `image`): node id and parameter name. The photo's
 * only (`photo: true`) leaves out nodes of role 'reference' (Load Reference), which `--reference` sets.
 */
export function imageInputs(wf: Workflow, registry: NodeRegistry, opts: { photo?: boolean } = {}): { id: string; param: string }[] {
  return wf.nodes.flatMap((n) => {
    const param = imageParam(registry.get(n.type));
    if (opts.photo && roleOf(registry, n.type) === 'reference') return [];
    return param ? [{ id: String(n.id), param }] : [];
  });
}

/** Points node `id`'s image-file parameter at `path`. */
export function withImage(wf: Workflow, id: string, path: string, registry: NodeRegistry): Workflow {
  const type = wf.nodes.find((n) => String(n.id) === id)?.type;
  const param = type ? imageParam(registry.get(type)) : undefined;
  if (!param) throw new Error(`node ${id} has no image-file parameter`);
  return setParam(wf, id, param, path, registry);
}

/** The ids of the workflow's nodes that declare `role` (see NodeRole). */
export function nodesWithRole(wf: Workflow, role: NodeRole, registry: NodeRegistry): string[] {
  return wf.nodes.filter((n) => roleOf(registry, n.type) === role).map((n) => String(n.id));
}

/**
 * Points every image-file parameter of the photo (Load Image; not Load Reference) at `imagePath`
 * (absolute, so it does not depend on the workflow's folder).
 */
export function withInput(wf: Workflow, imagePath: string, registry: NodeRegistry): Workflow {
  const inputs = imageInputs(wf, registry, { photo: true });
  if (inputs.length === 0) throw new UsageError('--input given, but the workflow has no Load Image node (no node with an image-file parameter)');
  return inputs.reduce((w, { id, param }) => setParam(w, id, param, resolve(imagePath), registry), wf);
}

/** Points the workflow's Load Reference node(s) (role 'reference') at `imagePath`, made absolute. */
export function withReference(wf: Workflow, imagePath: string, registry: NodeRegistry): Workflow {
  const ids = nodesWithRole(wf, 'reference', registry);
  if (ids.length === 0) throw new UsageError('--reference given, but the workflow has no Load Reference node (disco/load-reference)');
  return ids.reduce((w, id) => withImage(w, id, resolve(imagePath), registry), wf);
}

/** Applies one `--set <nodeId>.<param>=<value>`; the value is parsed as JSON when it is JSON, else kept as text. */
export function withSetting(wf: Workflow, setting: string, registry: NodeRegistry): Workflow {
  const m = /^([^.=]+)\.([^=]+)=(.*)$/s.exec(setting);
  if (!m) throw new UsageError(`--set expects <nodeId>.<param>=<value>, got "${setting}"`);
  const [, nodeId, param, text] = m;
  const node = wf.nodes.find((n) => String(n.id) === nodeId);
  if (!node) throw new UsageError(`--set ${setting}: the workflow has no node ${nodeId} (nodes: ${wf.nodes.map((n) => n.id).join(', ')})`);
  const def = registry.get(node.type);
  if (!def) throw new UsageError(`--set ${setting}: node ${nodeId} is of type ${node.type}, which this version does not have`);
  if (!(param in def.params)) {
    throw new UsageError(`--set ${setting}: ${def.id} has no parameter "${param}" (it has: ${Object.keys(def.params).join(', ') || 'none'})`);
  }
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: a plain string such as a file name.
  }
  return setParam(wf, nodeId, param, value, registry);
}

/**
 * Makes image-file paths (Load Image's) relative to `toDir` (where a PNG embedding the workflow is written), so the
 * PNG re-runs from its own folder. `fromDir` is what the paths are relative to now.
 */
export function rebaseImagePaths(wf: Workflow, fromDir: string, toDir: string, registry: NodeRegistry): Workflow {
  return imageInputs(wf, registry).reduce((w, { id, param }) => {
    const node = w.nodes.find((n) => String(n.id) === id)!;
    const ref = (node.properties?.params as Record<string, unknown> | undefined)?.[param];
    if (typeof ref !== 'string' || ref === '') return w;
    const absolute = isAbsolute(ref) ? ref : resolve(fromDir, ref);
    return setParam(w, id, param, relative(toDir, absolute) || '.', registry);
  }, wf);
}
