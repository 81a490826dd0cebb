/** Load Model Set: one MODEL per learned stage of a model set (manifest + ONNX files, sha256-checked). */
import { defineNode, str } from '../../runtime/engine/node-def.ts';
import { STAGE_NAMES } from '../../runtime/onnx/stage-contract.ts';
import type { ModelValue } from '../../runtime/values/types.ts';
import { MODEL } from '../../runtime/values/value-types.ts';

const stagePort = (what: string) => ({ type: MODEL, description: what });

export const loadModelSet = defineNode({
  id: 'disco/load-model-set',
  version: 1,
  displayName: 'Load Model Set',
  category: 'DISCO/models',
  description: 'Loads the five learned DISCO stages of a model set (a folder with manifest.json and ONNX files); each file is checked against its SHA-256 and the stage contract.',
  role: 'model-set',
  inputs: {},
  params: {
    set: str({ default: 'disco-lite', description: 'Model set name: a folder under models/ (CLI) or the models URL (browser).' }),
  },
  outputs: {
    spixelnet: stagePort('Superpixel association network (SpixelNet)'),
    backbone: stagePort('Feature extractor (ColorProbNet backbone)'),
    color_modeler: stagePort('Colour modeler transformer'),
    color_generator: stagePort('Colour generator transformer'),
    refiner: stagePort('Refiner (HourGlass2)'),
  },
  validate: (p) => (typeof p.set === 'string' && p.set.trim() ? undefined : 'set must name a model set'),
  // The sha256 of every stage file, so a changed set misses the cache. The run's signal makes the
  // fingerprint and the five loads share one read of the manifest.
  async fingerprint(ctx, { set }) {
    if (ctx.models.describeSet) {
      const info = await ctx.models.describeSet(set, ctx.signal);
      return STAGE_NAMES.map((s) => `${s}=${info.stages[s]?.sha256 ?? 'missing'}`).join(';');
    }
    const models = await Promise.all(STAGE_NAMES.map((s) => ctx.models.load(set, s, ctx.signal)));
    return models.map((m) => `${m.stage}=${m.sha256}`).join(';');
  },
  async execute(ctx, _inputs, { set }) {
    const out = {} as Record<(typeof STAGE_NAMES)[number], ModelValue>;
    for (const [i, stage] of STAGE_NAMES.entries()) {
      ctx.signal.throwIfAborted();
      ctx.progress(i, STAGE_NAMES.length);
      out[stage] = await ctx.models.load(set, stage, ctx.signal);
    }
    ctx.progress(STAGE_NAMES.length, STAGE_NAMES.length);
    return out;
  },
});
