/**
 * Colours from a reference photo (issue 19) end to end with the shipped model set:
 * - the measured bar at small size: on four small photos, a flipped-and-shifted copy of each photo's
 *   own original as the reference gains at least 2 dB RGB PSNR over automatic anchors (the README's
 *   numbers are on the 37 held-out photos at full size);
 * - `disco colorize --reference` on one photo and on a folder, the reference's stages run once for
 *   all photos of a process (served from the cache after the first);
 * - bad reference input: one line naming the problem.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { Colorizer } from '../../src/cli/colorizer.ts';
import type { NodeEvent } from '../../src/runtime/engine/events.ts';
import { disco, REPO } from './helpers.ts';

const FIXTURES = join(REPO, 'test/fixtures/reference');
const REF = join(REPO, 'examples/chelsea.png');
let root: string;
let photos: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'disco-reference-'));
  photos = join(root, 'photos');
  mkdirSync(photos);
  for (const name of ['coffee', 'rocket']) {
    writeFileSync(join(photos, `${name}.png`), await sharp(join(FIXTURES, `${name}.jpg`)).grayscale().png().toBuffer());
  }
  writeFileSync(join(root, 'gray.png'), await sharp(join(FIXTURES, 'coffee.jpg')).grayscale().png().toBuffer());
  writeFileSync(join(root, 'notes.txt'), 'not a photo');
});

const meanPsnr = (path: string) => JSON.parse(readFileSync(path, 'utf8')).mean.result.psnr as number;

describe('reference-guided colours', () => {
  it('flipped reference: at least 2 dB above automatic anchors on four small photos', async () => {
    const small = ['--set', '4.size=128'];
    const [flipped, auto] = await Promise.all([
      disco(['eval', FIXTURES, '--reference-mode', 'flipped', ...small, '--set', '22.size=128', '--json', join(root, 'flipped.json')]),
      disco(['eval', FIXTURES, ...small, '--json', join(root, 'auto.json')]),
    ]);
    expect(flipped.code, flipped.stderr).toBe(0);
    expect(auto.code, auto.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(root, 'flipped.json'), 'utf8'));
    expect(report.referenceMode).toBe('flipped');
    expect(report.photos).toHaveLength(4);
    expect(meanPsnr(join(root, 'flipped.json'))).toBeGreaterThanOrEqual(meanPsnr(join(root, 'auto.json')) + 2);
  }, 180_000);

  it('colorize --reference: one photo, the workflow embedded names the reference', async () => {
    const out = join(root, 'one.png');
    const r = await disco(['colorize', join(photos, 'coffee.png'), '--reference', REF, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([192, 128]);
    const png = readFileSync(out).toString('latin1');
    expect(png).toContain('disco/reference-colors');
    expect(png).toContain('chelsea.png');
  }, 120_000);

  it('colorize --reference on a folder: every photo, the reference computed once', async () => {
    const r = await disco(['colorize', photos, '--reference', REF, '-o', join(root, 'batch'), '--jobs', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/colorized 2, skipped 0 \(already done\), failed 0, of 2 photos/);
    // In one process (as in each batch worker), the second photo gets the reference's stages from the cache.
    const colorizer = await Colorizer.open({ reference: REF, diverse: 1, backend: 'cpu' });
    try {
      const states: Map<string, string>[] = [];
      for (const name of ['coffee', 'rocket']) {
        const seen = new Map<string, string>();
        await colorizer.colorize(join(photos, `${name}.png`), join(root, `cached-${name}.png`), () => (e: NodeEvent) => {
          if (e.state === 'cached' || e.state === 'done') seen.set(e.nodeId, e.state);
        });
        states.push(seen);
      }
      const referenceStages = ['20', '21', '22', '23', '24', '25', '26', '27', '28'];
      expect(referenceStages.map((id) => states[0].get(id))).toEqual(referenceStages.map(() => 'done'));
      expect(referenceStages.map((id) => states[1].get(id))).toEqual(referenceStages.map(() => 'cached'));
      expect(states[1].get('29')).toBe('done'); // the matching itself runs for each photo
    } finally {
      colorizer.close();
    }
  }, 180_000);

  it('bad reference input: one line naming the problem', async () => {
    const photo = join(photos, 'coffee.png'), out = join(root, 'bad.png');
    const cases: [string[], number, RegExp][] = [
      [['--reference', join(root, 'missing.jpg')], 1, /^disco: --reference .*missing\.jpg: .*(no such file|ENOENT)/i],
      [['--reference', join(root, 'notes.txt')], 1, /^disco: --reference .*notes\.txt: .*not a readable image/],
      [['--reference', join(root, 'gray.png')], 1, /^disco: --reference .*gray\.png: the photo is gray; a reference must be a colour photo$/],
      [['--reference', root], 1, /^disco: --reference .*: .*(directory|not a regular file)/],
      [['--reference', REF, '--workflow', join(REPO, 'workflows/disco-auto.json')], 2, /^disco: --reference given, but the workflow has no Load Reference node/],
    ];
    for (const [args, code, message] of cases) {
      const r = await disco(['colorize', photo, '-o', out, ...args]);
      expect(r.code, r.stderr).toBe(code);
      // A usage mistake (exit 2) adds the usual "Run disco --help" line.
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(code === 2 ? 2 : 1);
      expect(r.stderr.trim().split('\n')[0]).toMatch(message);
    }
    const bad = await disco(['eval', FIXTURES, '--reference-mode', 'mirror']);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, 'disco: --reference-mode must be flipped or unrelated, got "mirror"']);
    const both = await disco(['eval', FIXTURES, '--reference-mode', 'flipped', '--oracle-anchors']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--oracle-anchors and --reference-mode are two different runs/);
  }, 120_000);
});
