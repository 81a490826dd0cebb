/**
 * `disco colorize <folder|glob>... -o <dir>`: every photo colorized by worker processes, a bad file
 * reported while the others go on (summary, exit 1), photos already done skipped unless --force,
 * plain progress lines when stderr is not a terminal. The training-free user-guided workflow on
 * small photos keeps it fast; the pool and workers are the same for disco-auto.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { disco } from './helpers.ts';

const UG = 'workflows/user-guided.json';
let root: string;
let photos: string;

async function grayPng(w: number, h: number, seed: number): Promise<Buffer> {
  const px = Buffer.alloc(w * h).map((_, i) => (i * seed + (i >> 3)) % 256);
  return sharp(px, { raw: { width: w, height: h, channels: 1 } }).png().toBuffer();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'disco-batch-'));
  photos = join(root, 'photos');
  mkdirSync(photos);
  writeFileSync(join(photos, 'a.png'), await grayPng(40, 30, 3));
  writeFileSync(join(photos, 'b.png'), await grayPng(32, 32, 5));
  writeFileSync(join(photos, 'c.jpg'), await sharp(await grayPng(36, 24, 7)).jpeg().toBuffer());
  writeFileSync(join(photos, 'broken.png'), 'not an image at all');
  writeFileSync(join(photos, 'notes.txt'), 'ignored: not a photo');
});

const summaryOf = (stderr: string) => /colorized (\d+), skipped (\d+) \(already done\), failed (\d+), of (\d+) photos in [\d.]+ s \([\d.]+ photos\/s\)/.exec(stderr);

describe('disco colorize on many photos', () => {
  it('colorizes a folder on two workers, goes past a bad file, then skips what is done unless --force', async () => {
    const out = join(root, 'out');
    const r = await disco(['colorize', photos, '-o', out, '--workflow', UG, '--jobs', '2']);
    expect(r.code, r.stderr).toBe(1);
    expect(summaryOf(r.stderr)?.slice(1).map(Number)).toEqual([3, 0, 1, 4]);
    expect(r.stderr).toMatch(/failed .*broken\.png: .*broken\.png: not a readable image/);
    // Not a terminal: one plain line per photo, no carriage returns.
    expect(r.stderr).not.toMatch(/\r/);
    expect(r.stderr.match(/^\[\d\/4\] /gm)).toHaveLength(4);
    expect(readdirSync(out).sort()).toEqual(['a.png', 'b.png', 'c.png']);
    const meta = await sharp(join(out, 'c.png')).metadata();
    expect([meta.width, meta.height]).toEqual([36, 24]);
    const mtime = statSync(join(out, 'a.png')).mtimeMs;

    const again = await disco(['colorize', photos, '-o', out, '--workflow', UG]);
    expect(again.code, again.stderr).toBe(1); // broken.png still fails
    expect(summaryOf(again.stderr)?.slice(1).map(Number)).toEqual([0, 3, 1, 4]);
    expect(again.stderr).toMatch(/skipped .*a\.png: .*a\.png exists \(--force replaces it\)/);
    expect(statSync(join(out, 'a.png')).mtimeMs).toBe(mtime);

    const forced = await disco(['colorize', join(photos, '*.png'), '-o', out, '--workflow', UG, '--force', '--jobs', '1']);
    expect(summaryOf(forced.stderr)?.slice(1).map(Number)).toEqual([2, 0, 1, 3]);
    expect(statSync(join(out, 'a.png')).mtimeMs).toBeGreaterThan(mtime);
  }, 240_000);

  it('exits 0 when every photo succeeds, and takes quoted globs and several arguments', async () => {
    const out = join(root, 'out-ok');
    const r = await disco(['colorize', join(photos, '[ab].png'), join(photos, 'c.jpg'), '-o', out, '--workflow', UG, '--jobs', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(summaryOf(r.stderr)?.slice(1).map(Number)).toEqual([3, 0, 0, 3]);
    expect(readFileSync(join(out, 'b.png')).subarray(1, 4).toString()).toBe('PNG');
  }, 240_000);

  it('refuses, before any work, a batch that would write into its photos\' folder, a name clash or -o a file', async () => {
    writeFileSync(join(root, 'b.jpg'), await sharp(await grayPng(8, 8, 1)).jpeg().toBuffer());
    const [same, clash, file, noOut, none] = await Promise.all([
      disco(['colorize', photos, '-o', photos, '--workflow', UG]),
      disco(['colorize', join(photos, 'b.png'), join(root, 'b.jpg'), '-o', join(root, 'o2'), '--workflow', UG]),
      disco(['colorize', photos, '-o', join(root, 'result.png'), '--workflow', UG]),
      disco(['colorize', photos, '--workflow', UG]),
      disco(['colorize', join(photos, '*.gif'), '-o', join(root, 'o3'), '--workflow', UG]),
    ]);
    expect(same.stderr).toMatch(/^disco: .*photos: is the folder of the photo .*; write the results to another folder\n$/);
    expect(clash.stderr).toMatch(/^disco: .*b\.jpg and .*b\.png would both be written to .*o2\/b\.png/);
    expect(file.stderr).toMatch(/^disco: -o .*result\.png: with several photos \(or a folder\), -o names the folder for the results, not a file/);
    expect(noOut.stderr).toMatch(/^disco: colorizing several photos \(or a folder\) needs -o <folder>/);
    expect(none.stderr).toMatch(/^disco: .*\*\.gif: the pattern matches no photos\n$/);
    expect([same.code, clash.code, file.code, noOut.code, none.code]).toEqual([1, 1, 2, 2, 1]);
  }, 240_000);
});
