/**
 * Files that are not regular files, given to the real `disco` command: /dev/zero (read without end
 * before), a FIFO (blocked forever before), a directory, a model file symlinked to /dev/zero. Each is
 * refused at once with one line naming the file.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disco, REPO, type CliResult } from './helpers.ts';

const BAD = join(REPO, 'test/fixtures/bad');
const dir = mkdtempSync(join(tmpdir(), 'disco-special-'));
const fifo = join(dir, 'photo.png');
execFileSync('mkfifo', [fifo]);
symlinkSync('/dev/zero', join(dir, 'zero.json'));

function expectRefused(r: CliResult, message: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.split('\n').filter((l) => l && !/^\[\d+\/\d+\]/.test(l));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
}

describe.concurrent('special files are refused without reading them', () => {
  it('disco inspect /dev/zero', async () => {
    expectRefused(await disco(['inspect', '/dev/zero']), /^disco: \/dev\/zero: cannot read the workflow \(not a regular file: a character device\)$/);
  });

  it('a workflow symlinked to /dev/zero', async () => {
    expectRefused(await disco(['run', join(dir, 'zero.json')]), /zero\.json: cannot read the workflow \(not a regular file: a character device\)$/);
  });

  it('a directory as the workflow', async () => {
    expectRefused(await disco(['inspect', dir]), /: cannot read the workflow \(not a regular file: a directory\)$/);
  });

  it('a FIFO as the input photo (no writer ever opens it)', async () => {
    const r = await disco(['run', join(BAD, 'workflows', 'valid.json'), '--input', fifo, '-o', join(dir, 'out.png')]);
    expectRefused(r, /photo\.png: cannot read the image file \(not a regular file: a FIFO \(named pipe\)\)$/);
  });

  it('/dev/zero as the input photo', async () => {
    const r = await disco(['run', join(BAD, 'workflows', 'valid.json'), '--input', '/dev/zero', '-o', join(dir, 'out.png')]);
    expectRefused(r, /\/dev\/zero: cannot read the image file \(not a regular file: a character device\)$/);
  });

  it('a model file symlinked to /dev/zero', async () => {
    const models = join(dir, 'models', 'zero-set');
    mkdirSync(models, { recursive: true });
    copyFileSync(join(BAD, 'models', 'sha-mismatch', 'manifest.json'), join(models, 'manifest.json'));
    symlinkSync('/dev/zero', join(models, 'spixelnet.onnx'));
    const r = await disco(['run', join(BAD, 'models', 'load-model-set.json'), '--models-dir', join(dir, 'models'), '--set', '1.set=zero-set']);
    expectRefused(r, /zero-set\/spixelnet\.onnx: cannot read the model file \(not a regular file: a character device\)$/);
  });
});
