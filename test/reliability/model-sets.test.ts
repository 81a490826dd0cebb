/**
 * The broken model sets of the bad-input corpus (test/fixtures/bad/models/) through the model host
 * itself: each refusal names the file or set and the problem, before any session runs; the CLI side
 * is in test/cli/bad-inputs.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fsModelSource } from '../../src/runtime/onnx/fs-model-source.ts';
import { OnnxModelHost } from '../../src/runtime/onnx/model-host.ts';
import { createNodeGateway } from '../../src/runtime/onnx/ort-node.ts';
import { REPO } from '../cli/helpers.ts';

const DIR = join(REPO, 'test/fixtures/bad/models');
const host = () => new OnnxModelHost({ source: fsModelSource(DIR), gateway: createNodeGateway() });

describe('broken model sets through OnnxModelHost', () => {
  it('lists every set', async () => {
    expect(await host().listSets()).toEqual(['missing-file', 'missing-stage', 'sha-mismatch', 'wrong-inputs']);
  });

  it('missing file: names the path and the error', async () => {
    await expect(host().load('missing-file', 'spixelnet')).rejects.toThrow(/missing-file\/spixelnet\.onnx: cannot read the model file \(ENOENT\)/);
  });

  it('sha256 mismatch: names the file and both hashes, and makes no session', async () => {
    const h = host();
    await expect(h.load('sha-mismatch', 'spixelnet')).rejects.toThrow(
      /sha-mismatch\/spixelnet\.onnx: SHA-256 mismatch, the manifest says [0-9a-f]{64} but the file hashes to [0-9a-f]{64}/);
    expect(h.sessionsCreated).toBe(0);
  });

  it('ONNX inputs that break the stage contract: names the stage, the graph\'s inputs and the contract\'s', async () => {
    await expect(host().load('wrong-inputs', 'spixelnet')).rejects.toThrow(
      'model set "wrong-inputs" stage "spixelnet" (spixelnet.onnx): the ONNX graph\'s inputs [image] do not match the spixelnet contract [gray]: missing "gray"; unexpected "image"');
  });

  it('a stage the manifest lacks: names the set and the stages it has; the present stage still loads', async () => {
    const h = host();
    await expect(h.load('missing-stage', 'backbone')).rejects.toThrow(/missing-stage\/manifest\.json: model set "missing-stage" has no "backbone" stage \(it has spixelnet\)/);
    await expect(h.load('missing-stage', 'spixelnet')).resolves.toMatchObject({ stage: 'spixelnet', inputs: ['gray'] });
  });
});
