/** Debian's Python with PyTorch and onnx, for the tests that drive training/ (not the pyenv python3 on PATH). */
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** True when the Python-side tests must be skipped: torch or onnx missing, outside CI (on CI they never
 * skip, so a missing package fails there). Says why once, under the caller's label. */
export function skipWithoutTorch(label: string): boolean {
  const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { stdio: 'ignore' }).status === 0;
  const skip = !hasTorch && !process.env.CI;
  if (skip) {
    console.warn(`${label}: skipped: ${PYTHON} cannot import torch and onnx ` +
      '(run "sudo apt-get install python3-torch python3-onnx"); on CI this test is never skipped');
  }
  return skip;
}
