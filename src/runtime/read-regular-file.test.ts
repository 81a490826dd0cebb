import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRegularFile, readRegularFileSync, type ReadOptions } from './read-regular-file.ts';

// The synchronous reader must behave as the asynchronous one: same checks, same messages.
const readers: [string, (path: string, opts: ReadOptions) => Promise<Buffer>][] = [
  ['readRegularFile', readRegularFile],
  ['readRegularFileSync', async (path, opts) => readRegularFileSync(path, opts)],
  // Into one scratch, too small at first, so it grows: a copy of the view, since the next read reuses it.
  ['readRegularFileSync into a scratch', async (path, opts) => Buffer.from(readRegularFileSync(path, { ...opts, into: scratch }))],
];
let kept = Buffer.alloc(4, 0xee);
function scratch(bytes: number): Buffer {
  if (kept.length < bytes) kept = Buffer.alloc(bytes, 0xee);
  return kept;
}

describe.each(readers)('%s', (_name, readFile) => {
  const dir = mkdtempSync(join(tmpdir(), 'disco-read-'));
  const read = (path: string, maxBytes = 1024) => readFile(path, { what: 'image file', maxBytes });

  it('reads a regular file, also through a symlink', async () => {
    writeFileSync(join(dir, 'a.txt'), 'hello');
    symlinkSync(join(dir, 'a.txt'), join(dir, 'link.txt'));
    expect((await read(join(dir, 'a.txt'))).toString()).toBe('hello');
    expect((await read(join(dir, 'link.txt'))).toString()).toBe('hello');
  });

  it('reads a short file after a long one (only its own bytes)', async () => {
    writeFileSync(join(dir, 'long.txt'), 'x'.repeat(100));
    writeFileSync(join(dir, 'short.txt'), 'hi');
    expect((await read(join(dir, 'long.txt'))).toString()).toBe('x'.repeat(100));
    expect((await read(join(dir, 'short.txt'))).toString()).toBe('hi');
  });

  it('refuses /dev/zero, a symlink to it, a FIFO and a directory without reading them', async () => {
    symlinkSync('/dev/zero', join(dir, 'zero.png'));
    execFileSync('mkfifo', [join(dir, 'fifo.png')]);
    await expect(read('/dev/zero')).rejects.toThrow(/^\/dev\/zero: cannot read the image file \(not a regular file: a character device\)$/);
    await expect(read(join(dir, 'zero.png'))).rejects.toThrow(/zero\.png: cannot read the image file \(not a regular file: a character device\)$/);
    // Would block forever if the FIFO were opened without O_NONBLOCK (no writer ever comes).
    await expect(read(join(dir, 'fifo.png'))).rejects.toThrow(/fifo\.png: cannot read the image file \(not a regular file: a FIFO \(named pipe\)\)$/);
    await expect(read(dir)).rejects.toThrow(/: cannot read the image file \(not a regular file: a directory\)$/);
  });

  it('refuses a file over the limit before reading it, naming both sizes', async () => {
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(2000));
    await expect(read(join(dir, 'big.bin'), 1999)).rejects.toThrow(/big\.bin: cannot read the image file \(2000 bytes, above the limit of 1999 bytes\)$/);
    expect((await read(join(dir, 'big.bin'), 2000)).length).toBe(2000);
  });

  it('names the file and the errno of a missing one', async () => {
    await expect(readFile(join(dir, 'nope'), { what: 'workflow', maxBytes: 10, name: 'nope' })).rejects.toThrow(/^nope: cannot read the workflow \(ENOENT\)$/);
  });
});
