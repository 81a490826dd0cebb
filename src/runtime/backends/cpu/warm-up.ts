/**
 * Warms up the CPU backend's kernels on a tiny image, so a first run does not pay for them cold.
 * A page's first run otherwise meets every kernel in its first state: the WebAssembly modules not yet
 * instantiated, their functions in V8's baseline tier (a long call is not moved to the optimised
 * code while it runs) and the TypeScript around them not yet compiled. In a fresh Chromium worker
 * (five browsers each way, load 10-14), the seven steps below on a 1024x768 photo at working size
 * 256 took 325 ms cold and 125 ms after this warm-up (medians; the Anchor Locator's k-means 19 -> 6
 * ms, Recombine 41 -> 21, RGB->Lab 136 -> 66, SP-Pool 34 -> 14). Three rounds on a 64x48 image
 * do it (155-460 ms at that load, the first round mostly instantiating what a run would instantiate
 * anyway); the engine worker runs them while onnxruntime-web downloads, before a workflow is opened.
 * Each step is a task of its own and `signal` stops the rest, so a run that comes meanwhile waits
 * for one step at most.
 */
import type { Backend } from '../backend.ts';
import { cpuTensor, type Tensor } from '../../values/tensor.ts';
import type { Frame } from '../../values/types.ts';

/** Rounds of the steps: the third already finds everything in the optimised tier. */
const ROUNDS = 3;
const [W, H, S, CELL] = [64, 48, 32, 4];

/** A deterministic pseudo-random float in [0, 1) per index. */
const noise = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => ((Math.imul(i + seed, 2654435761) >>> 8) & 0xffff) / 65536);

/** The steps of disco-auto's parameter-free stages on a tiny input, each made to run on its own. */
function steps(backend: Backend): (() => Promise<unknown>)[] {
  const data = new Uint8ClampedArray(4 * W * H).map((_, i) => (i % 4 === 3 ? 255 : (i * 37) % 256));
  const content: Frame = { width: W, height: H };
  const assoc = cpuTensor([1, 9, S, S], noise(9 * S * S, 1).map((v) => 0.05 + v / 9)); // a soft association, no need to sum to 1
  const features = cpuTensor([1, 16, S, S], noise(16 * S * S, 2));
  const g = S / CELL;
  const tokens = cpuTensor([1, 2, g, g], noise(2 * g * g, 3).map((v) => v - 0.5));
  let lab: Tensor = cpuTensor([1, 3, H, W]);
  let working: Frame = content;
  let pooled: Tensor = cpuTensor([1, 16, g, g]);
  let sizes: Tensor = cpuTensor([1, 1, g, g]);
  let ab: Tensor = cpuTensor([1, 2, S, S]);
  return [
    async () => (lab = await backend.rgbToLab({ width: W, height: H, data })),
    async () => (working = (await backend.resizeToWorking({ lab, content }, S, false)).content),
    async () => (pooled = (await backend.spPool(features, assoc, CELL)).pooled),
    async () => (sizes = await backend.spSizes(assoc, CELL)),
    () => backend.locateAnchors(pooled, sizes, { k: 4, seed: 1, init: 'reference', maxIterations: 20 }),
    async () => (ab = await backend.spDiffuse(tokens, assoc, CELL)),
    () => backend.recombine({ lab, content }, ab, working),
  ];
}

/** Runs the warm-up; resolves with the number of steps done (fewer when `signal` stopped it). */
export async function warmUpCpuKernels(backend: Backend, signal: AbortSignal): Promise<number> {
  let done = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const step of steps(backend)) {
      await new Promise((resolve) => setTimeout(resolve)); // a task of its own: messages come first
      if (signal.aborted) return done;
      await step();
      done++;
    }
  }
  return done;
}
