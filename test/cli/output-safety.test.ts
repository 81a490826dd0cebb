/**
 * Outputs never replace an input (same path, symlink, hard link) and never silently replace an
 * existing file: `disco colorize` and `disco run --output` refuse with one line naming --force.
 * Runs the training-free user-guided workflow on a small photo, so no model set is needed.
 */
import { linkSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { disco, type CliResult } from './helpers.ts';

const UG = 'workflows/user-guided.json';
let dir: string;
let photo: string;
let original: Buffer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'disco-outputs-'));
  photo = join(dir, 'photo.png');
  const gray = Buffer.alloc(48 * 32, 0).map((_, i) => (i * 7) % 256);
  original = await sharp(gray, { raw: { width: 48, height: 32, channels: 1 } }).png().toBuffer();
  writeFileSync(photo, original);
  symlinkSync(photo, join(dir, 'link.png'));
  linkSync(photo, join(dir, 'hard.png'));
});

function refusedOneLine(r: CliResult, message: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^disco: /);
  expect(lines[0]).toMatch(message);
}

const colorize = (args: string[]) => disco(['colorize', '--workflow', UG, ...args]);

describe.concurrent('outputs never replace inputs or existing files', () => {
  it('colorize refuses -o the photo itself, a symlink to it and a hard link of it; the photo is untouched', async () => {
    const outs = ['photo.png', 'link.png', 'hard.png'];
    const runs = await Promise.all(outs.map((out, i) => colorize([photo, '-o', join(dir, out), ...(i === 2 ? ['--force'] : [])])));
    refusedOneLine(runs[0], /photo\.png: is an input of this run; the result would replace it/);
    refusedOneLine(runs[1], /link\.png: is the same file as the input .*photo\.png; the result would replace it/);
    refusedOneLine(runs[2], /hard\.png: is the same file as the input .*photo\.png; the result would replace it/);
    expect(readFileSync(photo).equals(original)).toBe(true);
  }, 180_000);

  it('colorize refuses an existing --output unless --force', async () => {
    const out = join(dir, 'existing.png');
    writeFileSync(out, 'keep me');
    refusedOneLine(await colorize([photo, '-o', out]), /existing\.png: already exists; pass --force to replace it/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const forced = await colorize([photo, '-o', out, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(out).subarray(1, 4).toString()).toBe('PNG');
  }, 180_000);

  it('run --output refuses the input photo, the workflow file and an existing file unless --force', async () => {
    refusedOneLine(await disco(['run', UG, '--input', photo, '-o', join(dir, 'link.png')]), /the result would replace it/);
    const wfPng = join(dir, 'wf.png');
    const first = await disco(['run', UG, '--input', photo, '-o', wfPng]);
    expect(first.code, first.stderr).toBe(0);
    // Re-running the PNG's own workflow into the PNG itself would replace the workflow file.
    refusedOneLine(await disco(['run', wfPng, '-o', wfPng, '--force']), /wf\.png: is an input of this run; the result would replace it/);
    const bytes = readFileSync(wfPng);
    refusedOneLine(await disco(['run', UG, '--input', photo, '-o', wfPng]), /wf\.png: already exists; pass --force to replace it/);
    expect(readFileSync(wfPng).equals(bytes)).toBe(true);
    const forced = await disco(['run', UG, '--input', photo, '-o', wfPng, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
  }, 180_000);
});
