/** Glob expansion, batch planning and the progress bar's text (TTY and plain). */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs, globFiles, planBatch } from './inputs.ts';
import { BatchProgress, clock } from './progress.ts';

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'disco-glob-'));
  for (const f of ['a.png', 'b.JPG', 'c.txt', '.hidden.png', 'sub/d.png', 'sub/deeper/e.webp', 'x1.png', 'x2.png', 'x10.png']) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), '');
  }
  return root;
}

describe('batch inputs', () => {
  const root = tree();
  it('expands folders (photos directly in them), globs with *, ?, [..] and **, each photo once', () => {
    expect(expandInputs([root]).map((p) => p.slice(root.length + 1))).toEqual(['a.png', 'b.JPG', 'x1.png', 'x10.png', 'x2.png']);
    expect(globFiles(join(root, 'x?.png')).map((p) => p.slice(root.length + 1))).toEqual(['x1.png', 'x2.png']);
    expect(globFiles(join(root, '[ab].*')).map((p) => p.slice(root.length + 1))).toEqual(['a.png', 'b.JPG']);
    expect(globFiles(join(root, '**', '*.png')).map((p) => p.slice(root.length + 1))).toEqual(['a.png', 'sub/d.png', 'x1.png', 'x10.png', 'x2.png']);
    expect(globFiles(join(root, 'sub', '*', '*')).map((p) => p.slice(root.length + 1))).toEqual(['sub/deeper/e.webp']);
    expect(expandInputs([join(root, 'a.png'), root, join(root, '*.png')])).toHaveLength(5);
    expect(() => expandInputs([join(root, 'nope.png')])).toThrow(/nope\.png: no such file or folder/);
    expect(() => expandInputs([join(root, '*.gif')])).toThrow(/\*\.gif: the pattern matches no photos/);
  });

  it('plans <out>/<name>.png and refuses name clashes and the photos\' own folder', () => {
    const plan = planBatch([join(root, 'a.png'), join(root, 'sub', 'd.png')], join(root, 'out'));
    expect(plan.map((i) => i.output)).toEqual([join(root, 'out', 'a.png'), join(root, 'out', 'd.png')]);
    expect(() => planBatch([join(root, 'a.png'), join(root, 'sub', 'a.jpg')], join(root, 'out'))).toThrow(/would both be written to/);
    expect(() => planBatch([join(root, 'sub', 'd.png')], join(root, 'sub'))).toThrow(/is the folder of the photo/);
  });
});

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream, chunks };
}

describe('batch progress', () => {
  it('shows photos/s and the time left from the photos that ran', () => {
    let t = 0;
    const { stream } = fakeStream(false);
    const p = new BatchProgress(stream, 10, () => t);
    p.skipped('s.png', 'out/s.png');
    t = 4000;
    p.done('a.png', 'out/a.png', 2000);
    p.done('b.png', 'out/b.png', 2000);
    expect(p.rate()).toBeCloseTo(0.5);
    expect(p.barText()).toBe('[#######-----------------] 3/10  0.50 photos/s  0:14 left');
    p.failed('c.png', 'not a readable image');
    expect(p.barText()).toMatch(/4\/10 .* 1 failed$/);
  });

  it('writes plain lines when not a terminal and redraws one line in place on a terminal', () => {
    const plain = fakeStream(false);
    const p = new BatchProgress(plain.stream, 2, () => 0);
    p.done('a.png', 'out/a.png', 1500);
    p.failed('b.png', 'bad');
    p.end();
    expect(plain.chunks.join('')).toBe('[1/2] a.png -> out/a.png (1.5 s)\n[2/2] failed b.png: bad\n' +
      'colorized 1, skipped 0 (already done), failed 1, of 2 photos in 0.0 s (0.00 photos/s)\n');
    const tty = fakeStream(true);
    const q = new BatchProgress(tty.stream, 2, () => 0);
    q.done('a.png', 'out/a.png', 1500);
    q.end();
    expect(tty.chunks.every((c) => !c.includes('a.png'))).toBe(true);
    expect(tty.chunks.filter((c) => c.startsWith('\r[')).length).toBeGreaterThanOrEqual(2);
  });

  it('formats the time left as m:ss or h:mm:ss', () => {
    expect([clock(0), clock(59.6), clock(61), clock(3725)]).toEqual(['0:00', '1:00', '1:01', '1:02:05']);
  });
});

describe('batch progress names', () => {
  it('escapes control characters in file names and messages', () => {
    const { stream, chunks } = fakeStream(false);
    const p = new BatchProgress(stream, 1, () => 0);
    p.failed('/x/\x1b]0;owned\x07.png', 'bad \x1b[2J');
    expect(chunks.join('')).toBe('[1/1] failed /x/\\x1b]0;owned\\x07.png: bad \\x1b[2J\n');
  });
});
