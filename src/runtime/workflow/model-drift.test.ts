import { describe, expect, it } from 'vitest';
import { loadedModels, modelDrift } from './model-drift.ts';

const sha = (c: string) => c.repeat(64);

describe('modelDrift', () => {
  const recorded = [
    { set: 'lite', stage: 'spixelnet', file: 'spixelnet.onnx', sha256: sha('a') },
    { set: 'lite', stage: 'backbone', file: 'backbone.onnx', sha256: sha('b') },
  ];
  it('names each stage whose loaded weights differ from the recorded ones', () => {
    const loaded = [
      { set: 'lite', stage: 'spixelnet', file: 'spixelnet.onnx', sha256: sha('a') },
      { set: 'lite', stage: 'backbone', file: 'backbone.onnx', sha256: sha('c') },
      { set: 'other', stage: 'backbone', file: 'backbone.onnx', sha256: sha('d') }, // not recorded: nothing to compare
    ];
    expect(modelDrift(recorded, loaded)).toEqual([
      `model set "lite" stage "backbone": the workflow was made with backbone.onnx sha256 ${'b'.repeat(12)}…, but backbone.onnx loaded with sha256 ${'c'.repeat(12)}…: these are other weights, results may differ`,
    ]);
    expect(modelDrift(undefined, loaded)).toEqual([]);
  });

  it('finds MODEL values among node outputs', () => {
    const model = { set: 'lite', stage: 'backbone', file: 'backbone.onnx', sha256: sha('c'), handle: {} };
    expect(loadedModels([{ backbone: model, other: 3 }, { image: { width: 1 } }])).toEqual([{ set: 'lite', stage: 'backbone', file: 'backbone.onnx', sha256: sha('c') }]);
  });
});
