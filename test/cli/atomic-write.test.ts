/** Saving never leaves a half-written file: the CLI writes a temporary file beside the target, then renames. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/cli/outputs.ts';

describe('writeFileAtomic', () => {
  it('keeps the old file whole when the write fails half way, and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disco-atomic-'));
    const path = join(dir, 'result.png');
    writeFileSync(path, 'the previous result');
    // Data that fails after its first chunk: a direct write would leave a truncated file here.
    async function* failing() {
      yield new Uint8Array(64 * 1024).fill(7);
      throw new Error('disk full');
    }
    await expect(writeFileAtomic(path, failing() as unknown as Uint8Array)).rejects.toThrow(/result\.png: cannot write \(disk full\)/);
    expect(readFileSync(path, 'utf8')).toBe('the previous result');
    expect(readdirSync(dir)).toEqual(['result.png']);

    await writeFileAtomic(path, 'the new result');
    expect(readFileSync(path, 'utf8')).toBe('the new result');
    expect(readdirSync(dir)).toEqual(['result.png']);
  });
});

describe('temporary files of killed writers', () => {
  it('are removed by the next write to the folder; a live writer\'s and other files are kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disco-atomic-'));
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited
    const live = process.ppid; // our parent: alive while the test runs
    writeFileSync(join(dir, `.old.png.${dead}.tmp`), 'half a PNG from a kill -9');
    writeFileSync(join(dir, `.other.png.${live}.tmp`), 'a write in progress');
    writeFileSync(join(dir, 'notes.tmp'), 'not ours');
    await writeFileAtomic(join(dir, 'result.png'), 'the new result');
    expect(readdirSync(dir).sort()).toEqual([`.other.png.${live}.tmp`, 'notes.tmp', 'result.png']);
  });
});
