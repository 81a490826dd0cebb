/**
 * `disco eval <folder> [--models set] [--oracle-anchors | --reference-mode flipped|unrelated]
 * [--workflow file] [--set node.param=value]... [--limit N] [--json out.json]`:
 * measured quality. Each photo in the folder is turned gray (Lab with a = b = 0), colorized by the
 * workflow, and scored against the original (PSNR, SSIM, colourfulness, CIEDE2000, docs/disco-method.md §15), next
 * to the gray photo's own scores as the baseline. Each photo runs on an executor of its own, recycled
 * once the photo is scored, so the next photo reuses its large arrays (array-pool.ts). With
 * --reference-mode the workflow (default workflows/reference-guided.json) gets a colour reference per
 * photo (see eval/reference-mode.ts).
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Backend } from '../../runtime/backends/backend.ts';
import { Executor } from '../../runtime/engine/executor.ts';
import { roleOf } from '../../runtime/engine/roles.ts';
import { colorfulness, compareImages } from '../../runtime/metrics/index.ts';
import { setParam } from '../../runtime/workflow/build.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';
import type { ImageValue } from '../../runtime/values/types.ts';
import { backendOption, commonOptions, intOption, memoryOption, parse } from '../args.ts';
import { printable } from '../terminal-text.ts';
import { oracleVariant } from '../eval/oracle-anchors.ts';
import { flippedReference, referenceModeOption, unrelatedIndex } from '../eval/reference-mode.ts';
import { formatTable, meanScores, reportJson, type PhotoScores } from '../eval/report.ts';
import { executeWorkflow, execGraphOf, labeller, nodeRegistry } from '../execute.ts';
import { decodeImageFile, encodePng } from '../image-io.ts';
import { createNodeBackend, createNodeModels } from '../node-host.ts';
import { resultImage, writeFileAtomic } from '../outputs.ts';
import { ProgressBar } from '../progress.ts';
import { imageInputs, nodesWithRole, readWorkflowFile, withImage, withSetting } from '../workflow-file.ts';
import { DEFAULT_WORKFLOW, REFERENCE_WORKFLOW } from '../colorizer.ts';
import { UsageError } from './index.ts';

const PHOTO = /\.(png|jpe?g|webp)$/i;

export async function evalCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...commonOptions,
    models: { type: 'string' },
    'oracle-anchors': { type: 'boolean' },
    'reference-mode': { type: 'string' },
    workflow: { type: 'string' },
    set: { type: 'string', multiple: true },
    limit: { type: 'string' },
    json: { type: 'string' },
  }, 1);
  const referenceMode = referenceModeOption(values['reference-mode']);
  if (referenceMode && values['oracle-anchors']) throw new UsageError('--oracle-anchors and --reference-mode are two different runs: give one of them');
  const folder = resolve(positionals[0]);
  const photos = await listPhotos(folder, intOption(values.limit, 'limit', 1, 2 ** 31));
  const pixelLimit = intOption(values['max-pixels'], 'max-pixels', 1, 2 ** 31);
  const memoryBudget = memoryOption(values['max-memory']);
  const registry = nodeRegistry();
  const workflowPath = values.workflow ?? (referenceMode ? REFERENCE_WORKFLOW : DEFAULT_WORKFLOW);
  const file = await readWorkflowFile(workflowPath, registry);
  let wf = file.workflow;
  if (values.models !== undefined) wf = withModelSet(wf, values.models);
  for (const setting of values.set ?? []) wf = withSetting(wf, setting, registry);
  const referenceNode = referenceMode ? onlyReference(wf) : undefined;
  if (referenceMode === 'unrelated') unrelatedIndex(0, photos.length); // refused at once with one photo
  const plan = values['oracle-anchors'] ? oracleVariant(wf, registry) : { workflow: wf, grayImageNode: onlyLoadImage(wf) };
  const graph = execGraphOf(plan.workflow);

  const { backend, close } = await createNodeBackend(backendOption(values.backend), (line) => process.stderr.write(`${line}\n`));
  const models = Object.values(graph).some((n) => roleOf(registry, n.type) === 'model-set') ? await createNodeModels(values['models-dir']) : undefined;
  const scratch = await mkdtemp(join(tmpdir(), 'disco-eval-'));
  const rows: PhotoScores[] = [];
  try {
    for (const [i, path] of photos.entries()) {
      process.stderr.write(`[${i + 1}/${photos.length}] ${printable(basename(path))}\n`);
      const truth = await decodeImageFile(path, { pixelLimit, memoryBudget });
      const grayPath = join(scratch, `${i}.png`);
      await writeFile(grayPath, await encodePng(await backend.dropChroma(truth)));
      let run = withImage(plan.workflow, plan.grayImageNode, grayPath, registry);
      if ('referenceImageNode' in plan) run = withImage(run, plan.referenceImageNode, path, registry);
      if (referenceNode) {
        const refPath = referenceMode === 'flipped' ? join(scratch, `${i}-reference.png`) : photos[unrelatedIndex(i, photos.length)];
        if (referenceMode === 'flipped') await writeFile(refPath, await encodePng(flippedReference(truth)));
        run = withImage(run, referenceNode, refPath, registry);
      }
      const progress = process.stderr.isTTY ? new ProgressBar(process.stderr, labeller(graph)) : undefined;
      const executor = new Executor({ registry }); // no photo's values serve another
      try {
        const { result } = await executeWorkflow(run, {
          baseDir: file.baseDir, backend, models, executor, pixelLimit, memoryBudget, source: workflowPath, onEvent: progress?.onEvent,
        }).finally(() => progress?.end());
        rows.push(await score(basename(path), resultImage(result, graph).image, truth, backend));
      } finally {
        executor.recycle();
      }
    }
  } finally {
    close();
    await rm(scratch, { recursive: true, force: true });
  }

  process.stdout.write(formatTable(rows));
  if (values.json) {
    const report = {
      folder, workflow: resolve(workflowPath), ...(values.models !== undefined ? { models: values.models } : {}),
      oracleAnchors: Boolean(values['oracle-anchors']), ...(referenceMode ? { referenceMode } : {}),
      ...(values.set?.length ? { settings: values.set } : {}), photos: rows, mean: meanScores(rows),
    };
    await writeFileAtomic(resolve(values.json), reportJson(report));
    process.stderr.write(`wrote ${values.json}\n`);
  }
  return 0;
}

/** Scores the result and the gray baseline against the photo. A result of another size (e.g. the
 * official 256 x 256 output) is compared with the photo resized to it (OpenCV uint8 INTER_LINEAR). */
async function score(name: string, result: ImageValue, photo: ImageValue, backend: Backend): Promise<PhotoScores> {
  const sameSize = result.width === photo.width && result.height === photo.height;
  const truth = sameSize ? photo : await backend.resizeImage(photo, { width: result.width, height: result.height });
  const gray = await backend.dropChroma(truth);
  return {
    photo: name, width: photo.width, height: photo.height,
    ...(sameSize ? {} : { comparedAt: { width: result.width, height: result.height } }),
    result: compareImages(result, truth),
    gray: compareImages(gray, truth),
    truthColorfulness: colorfulness(truth),
  };
}

async function listPhotos(folder: string, limit: number | undefined): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (e) {
    throw new Error(`${folder}: cannot list the folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const photos = names.filter((n) => PHOTO.test(n)).sort().map((n) => join(folder, n));
  if (!photos.length) throw new Error(`${folder}: no photos (png, jpg, jpeg or webp) in the folder`);
  return photos.slice(0, limit);
}

function withModelSet(wf: Workflow, set: string): Workflow {
  const ids = nodesWithRole(wf, 'model-set', nodeRegistry());
  if (!ids.length) throw new UsageError('--models needs a Load Model Set node (disco/load-model-set), and this workflow has none');
  return ids.reduce((w, id) => setParam(w, id, 'set', set, nodeRegistry()), wf);
}

function onlyLoadImage(wf: Workflow): string {
  const ids = imageInputs(wf, nodeRegistry(), { photo: true });
  if (ids.length !== 1) throw new Error(`disco eval needs a workflow with exactly one Load Image node (disco/load-image) for the gray photo; it has ${ids.length}`);
  return ids[0].id;
}

function onlyReference(wf: Workflow): string {
  const ids = nodesWithRole(wf, 'reference', nodeRegistry());
  if (ids.length !== 1) throw new UsageError(`--reference-mode needs a workflow with exactly one Load Reference node (disco/load-reference); it has ${ids.length}`);
  return ids[0];
}
