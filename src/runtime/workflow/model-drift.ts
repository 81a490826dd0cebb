/**
 * A workflow records the sha256 of each model file it was made with (`extra.disco.models`). A model
 * set whose file and manifest were both replaced still loads (the file matches its manifest), so the
 * run would silently use other weights: these are the warnings to show instead.
 */
import type { DiscoModelRef } from './schema.ts';

export interface LoadedModel {
  readonly set: string;
  readonly stage: string;
  readonly file: string;
  readonly sha256: string;
}

const short = (sha: string): string => sha.slice(0, 12);

/** One line per loaded stage whose weights differ from the ones the workflow names for that set and stage. */
export function modelDrift(recorded: readonly DiscoModelRef[] | undefined, loaded: readonly LoadedModel[]): string[] {
  const out: string[] = [];
  for (const m of loaded) {
    const want = recorded?.find((r) => r.set === m.set && r.stage === m.stage);
    if (!want || want.sha256 === m.sha256) continue;
    out.push(`model set "${m.set}" stage "${m.stage}": the workflow was made with ${want.file} sha256 ${short(want.sha256)}…, ` +
      `but ${m.file} loaded with sha256 ${short(m.sha256)}…: these are other weights, results may differ`);
  }
  return out;
}

/** The MODEL values among a run's node outputs (any node; Load Model Set makes them). */
export function loadedModels(values: Iterable<Readonly<Record<string, unknown>>>): LoadedModel[] {
  const seen = new Map<string, LoadedModel>();
  for (const outputs of values) {
    for (const v of Object.values(outputs)) {
      const m = v as Partial<LoadedModel> | null;
      if (m && typeof m === 'object' && typeof m.sha256 === 'string' && typeof m.stage === 'string' && typeof m.set === 'string' && typeof m.file === 'string') {
        seen.set(`${m.set}\0${m.stage}`, { set: m.set, stage: m.stage, file: m.file, sha256: m.sha256 });
      }
    }
  }
  return [...seen.values()];
}
