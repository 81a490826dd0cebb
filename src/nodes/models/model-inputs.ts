/**
 * Shared checks for the model nodes: the right stage on a MODEL input, and the gray feed (L -> (L-50)/50)
 * at a size the stage accepts. Model outputs are moved into the backend's memory (a no-op on the CPU
 * backend) so the parameter-free stages after them run where their data is.
 */
import type { ExecContext } from '../../runtime/engine/context.ts';
import type { StageName } from '../../runtime/onnx/stage-contract.ts';
import type { Tensor } from '../../runtime/values/tensor.ts';
import type { GrayValue, ModelValue } from '../../runtime/values/types.ts';

/** The model, if it is the stage this node runs; otherwise an error naming both stages. */
export function requireStage(nodeId: string, model: ModelValue | undefined, stage: StageName): ModelValue {
  if (!model) throw new Error(`${nodeId}: the model input is not connected; wire the ${stage} output of Load Model Set to it`);
  if (model.stage !== stage) {
    throw new Error(`${nodeId} runs the ${stage} stage, but the ${model.stage} model of set "${model.set}" is wired to its model input; ` +
      `connect Load Model Set's ${stage} output instead`);
  }
  return model;
}

/** The model's cell size (16 for DISCO when the manifest does not say). */
export const cellOf = (model: ModelValue): number => model.cell ?? 16;

/** Checks a [1,C,H,W] pixel tensor whose H and W must be multiples of the cell. */
export function checkPixels(nodeId: string, what: string, t: Tensor, channels: number, cell: number): [number, number] {
  const [n, c, H, W] = t.shape;
  if (t.shape.length !== 4 || n !== 1 || c !== channels) {
    throw new Error(`${nodeId}: ${what} must be [1,${channels},H,W], got [${t.shape.join(',')}]`);
  }
  if (H % cell !== 0 || W % cell !== 0) {
    throw new Error(`${nodeId}: ${what} is ${W}x${H} pixels; width and height must be multiples of the ${cell}-pixel cell (resize to the working size first)`);
  }
  return [H, W];
}

/** Checks a [1,C,h,w] token tensor. */
export function checkTokens(nodeId: string, what: string, t: Tensor, channels: number): [number, number] {
  if (t.shape.length !== 4 || t.shape[0] !== 1 || t.shape[1] !== channels) {
    throw new Error(`${nodeId}: ${what} must be [1,${channels},h,w], got [${t.shape.join(',')}]`);
  }
  return [t.shape[2], t.shape[3]];
}

/** The normalised gray plane (L-50)/50 the learned stages take. */
export async function grayFeed(ctx: ExecContext, nodeId: string, gray: GrayValue, cell: number): Promise<Tensor> {
  checkPixels(nodeId, 'the gray input', gray.L, 1, cell);
  return ctx.backend.normalizeLab(gray.L, 'L');
}

/** Runs a stage with the run's abort signal and moves every output into the backend's memory. */
export async function runStage(ctx: ExecContext, model: ModelValue, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const out = await ctx.models.run(model, feeds, ctx.signal);
  const placed: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(out)) placed[k] = await ctx.backend.upload(t);
  return placed;
}
