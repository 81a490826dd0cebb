/** Small statistics and the per-stage bookkeeping shared by the benchmark's processes. */

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Per-key medians of several runs' {key: ms} maps (a key missing from a run counts as absent there). */
export function medianByKey(runs: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(keys.map((k) => [k, median(runs.filter((r) => k in r).map((r) => r[k]))]));
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
