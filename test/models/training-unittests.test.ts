// The Python side of the learned stages (training/tests: the clean-room model's official layout,
// spectral-norm baking, ops, exporter, dataset builder, MobileNetV2 port) runs with the rest of the
// suite, so a change there fails `npm test` like any other.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON, skipWithoutTorch } from '../helpers/python.ts';

const TRAINING = resolve(import.meta.dirname, '../../training');
const skip = skipWithoutTorch('training unittests');

describe.skipIf(skip)('training/ Python unit tests', () => {
  it('all pass', () => {
    const r = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], {
      cwd: TRAINING, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' },
    });
    // unittest reports on stderr; show it whole when something fails
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^OK/m);
  }, 600_000);
});
