/** Small statistics and the per-stage bookkeeping shared by the benchmark's processes. */

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The index of the median run (the lower middle one for an even count). Its stage times are the ones
 * reported: per-stage medians taken separately do not add up to any run (a stage slowed by a GC or by
 * fresh memory in one run and another stage in the next both count), so their sum can exceed the
 * whole-run median; the stages of one run add up to that run.
 */
export function medianRun(runsMs: readonly number[]): number {
  if (!runsMs.length) throw new Error('medianRun: no runs');
  const order = runsMs.map((_, i) => i).sort((a, b) => runsMs[a] - runsMs[b]);
  return order[(runsMs.length - 1) >> 1];
}

/** The pipeline's stages, in order, as the benchmark names them (node type without "disco/"). */
export const LEARNED_STAGES = ['spixelnet', 'feature-extractor', 'color-modeler', 'color-generator', 'refine'] as const;

/** The ONNX stage (and the PyTorch reference's name) behind each learned node type. */
export const NODE_TO_NETWORK: Readonly<Record<string, string>> = {
  spixelnet: 'spixelnet',
  'feature-extractor': 'backbone',
  'color-modeler': 'color_modeler',
  'color-generator': 'color_generator',
  refine: 'refiner',
};

export const isLearned = (stage: string): boolean => (LEARNED_STAGES as readonly string[]).includes(stage);

/** Sum of the stages that are not one of the five networks (I/O, colour, superpixel and anchor stages). */
export function parameterFreeMs(stages: Readonly<Record<string, number>>): number {
  return Object.entries(stages).filter(([k]) => !isLearned(k)).reduce((s, [, v]) => s + v, 0);
}

/** The parameter-free stages' share of the median run, from that run's own stage times. */
export function parameterFreeShare(r: { readonly stagesMs: Readonly<Record<string, number>>; readonly stagesRunMs: number }): number {
  return parameterFreeMs(r.stagesMs) / r.stagesRunMs;
}
