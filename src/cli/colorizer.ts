/**
 * What `disco colorize` does to one photo, shared by the one-photo command and the batch workers:
 * the default workflow (or --workflow) pointed at the photo, run once per --diverse variant (the
 * shared stages run once: one executor per photo), each result written as PNG with its workflow.
 * The backend and the ONNX sessions are made once and reused for every photo.
 */
import { fileURLToPath } from 'node:url';
import type { Backend } from '../runtime/backends/backend.ts';
import type { EventSink } from '../runtime/engine/events.ts';
import { Executor } from '../runtime/engine/executor.ts';
import type { NodeRole } from '../runtime/engine/node-def.ts';
import type { ModelHost } from '../runtime/engine/context.ts';
import type { ExecGraph } from '../runtime/workflow/exec-format.ts';
import type { Workflow } from '../runtime/workflow/schema.ts';
import { UsageError } from './usage-error.ts';
import { executeWorkflow, execGraphOf, nodeRegistry } from './execute.ts';
import { createNodeBackend, createNodeModels, type BackendChoice } from './node-host.ts';
import { resultImage, writeResultPng } from './outputs.ts';
import { decodeImageFile } from './image-io.ts';
import { printable } from './terminal-text.ts';
import { nodesWithRole, readWorkflowFile, withInput, withReference, withSetting } from './workflow-file.ts';
import { variantPaths } from './variant-paths.ts';

export { variantPaths };

export const DEFAULT_WORKFLOW = fileURLToPath(new URL('../../workflows/disco-auto.json', import.meta.url));
/** What `--reference` runs unless --workflow says otherwise. */
export const REFERENCE_WORKFLOW = fileURLToPath(new URL('../../workflows/reference-guided.json', import.meta.url));

/** The colorize options, already checked (plain data: batch workers receive it as JSON). */
export interface ColorizeSettings {
  readonly workflow?: string;
  /** A colour reference photo (--reference): its colours go to the anchors (workflows/reference-guided.json). */
  readonly reference?: string;
  /** Anchor Locator's k. */
  readonly anchors?: number;
  /** Number of Anchor Colors variants (1: one result). */
  readonly diverse: number;
  readonly backend: BackendChoice;
  readonly modelsDir?: string;
  readonly pixelLimit?: number;
  readonly memoryBudget?: number;
  /** onnxruntime intra-op threads (default: one per core). */
  readonly threads?: number;
}


export class Colorizer {
  private constructor(
    private readonly settings: ColorizeSettings,
    private readonly template: Workflow,
    private readonly baseDir: string,
    private readonly backend: Backend,
    private readonly models: ModelHost,
    private readonly closeBackend: () => void,
    /**
     * With a reference, one executor for every photo: the reference's stages (its Lab, Spixelnet,
     * backbone, pooling, Color Modeler) are cached after the first photo and not run again.
     */
    private readonly shared: Executor | undefined,
  ) {}

  /** `say` gets a line explaining the backend choice (see createNodeBackend). */
  static async open(settings: ColorizeSettings, say?: (line: string) => void): Promise<Colorizer> {
    const { workflow: wf, baseDir } = await loadTemplate(settings);
    const { backend, close } = await createNodeBackend(settings.backend, say, settings.threads);
    try {
      const models = await createNodeModels(settings.modelsDir, backend, settings.threads); // one ONNX session per model file for all photos
      const shared = settings.reference ? new Executor({ registry: nodeRegistry() }) : undefined;
      return new Colorizer(settings, wf, baseDir, backend, models, close, shared);
    } catch (e) {
      close();
      throw e;
    }
  }

  /** The exec graph a photo runs (for progress labels). */
  graphFor(input: string): ExecGraph {
    return execGraphOf(withInput(this.template, input, nodeRegistry()));
  }

  /** Colorizes `input` into `variantPaths(output, diverse)`; returns the result's size. */
  async colorize(input: string, output: string, onEvent?: (variant: number) => EventSink): Promise<{ width: number; height: number }> {
    const s = this.settings;
    const wf = withInput(this.template, input, nodeRegistry());
    const executor = this.shared ?? new Executor({ registry: nodeRegistry() }); // per photo: the cache serves its variants, then goes
    const paths = variantPaths(output, s.diverse);
    let size = { width: 0, height: 0 };
    try {
      for (const [v, path] of paths.entries()) {
        const variant = s.diverse > 1 ? setOnRole(wf, 'anchor-colors', 'variant', v, '--diverse needs an Anchor Colors node') : wf;
        const { result, graph } = await executeWorkflow(variant, {
          baseDir: this.baseDir, backend: this.backend, executor, models: this.models, onEvent: onEvent?.(v),
          pixelLimit: s.pixelLimit, memoryBudget: s.memoryBudget, modelsDir: s.modelsDir, source: s.workflow ?? DEFAULT_WORKFLOW,
        });
        const { image } = resultImage(result, graph);
        await writeResultPng(path, image, variant, this.baseDir);
        size = { width: image.width, height: image.height };
      }
    } finally {
      // Nothing reads this photo's values any more: the next photo reuses their large arrays
      // instead of fresh memory (array-pool.ts). The shared executor keeps the reference's stages.
      if (executor !== this.shared) executor.recycle();
    }
    return size;
  }

  close(): void {
    this.closeBackend();
  }
}

/**
 * The workflow every photo runs, with --anchors applied; throws (one line) for an unreadable or
 * damaged workflow, unknown node types, or an option the workflow has no node for.
 */
export async function loadTemplate(settings: ColorizeSettings): Promise<{ workflow: Workflow; baseDir: string }> {
  const file = await readWorkflowFile(settings.workflow ?? (settings.reference ? REFERENCE_WORKFLOW : DEFAULT_WORKFLOW), nodeRegistry());
  let wf = file.workflow;
  if (settings.reference !== undefined) {
    await checkReference(settings.reference, settings);
    wf = withReference(wf, settings.reference, nodeRegistry());
  }
  if (settings.anchors !== undefined) wf = setOnRole(wf, 'auto-anchors', 'k', settings.anchors, '--anchors needs an Anchor Locator node');
  if (settings.diverse > 1) setOnRole(wf, 'anchor-colors', 'variant', 0, '--diverse needs an Anchor Colors node'); // refused here if there is none
  execGraphOf(wf);
  return { workflow: wf, baseDir: file.baseDir };
}

/** Refuses, in one line, a reference that is not a readable colour photo (before any photo runs). */
async function checkReference(path: string, settings: ColorizeSettings): Promise<void> {
  let image;
  try {
    image = await decodeImageFile(path, { pixelLimit: settings.pixelLimit, memoryBudget: settings.memoryBudget });
  } catch (e) {
    throw new Error(`--reference ${printable(path)}: ${(e as Error).message}`);
  }
  if (image.meta?.hadColor === false) throw new Error(`--reference ${printable(path)}: the photo is gray; a reference must be a colour photo`);
}

/** Sets `param` on every node that declares `role` (the role promises the param, see NodeRole). */
function setOnRole(wf: Workflow, role: NodeRole, param: string, value: number, needs: string): Workflow {
  const ids = nodesWithRole(wf, role, nodeRegistry());
  if (!ids.length) throw new UsageError(`${needs} (a node with the ${role} role), and this workflow has none`);
  return ids.reduce((w, id) => withSetting(w, `${id}.${param}=${value}`, nodeRegistry()), wf);
}
