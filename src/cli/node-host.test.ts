import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createNodeIO } from './node-host.ts';

const png = (r: number) => sharp({ create: { width: 2, height: 1, channels: 3, background: { r, g: 0, b: 0 } } }).png().toBuffer();

describe('createNodeIO', () => {
  it('decodes the bytes its fingerprint hashed, and reads the file afresh otherwise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disco-io-'));
    writeFileSync(join(dir, 'a.png'), await png(10));
    const io = createNodeIO({ baseDir: dir });
    const hash = await io.fingerprint('a.png');
    writeFileSync(join(dir, 'a.png'), await png(200)); // replaced between fingerprint and load
    expect((await io.loadImage('a.png')).data[0]).toBe(10);
    expect(await io.fingerprint('a.png')).not.toBe(hash);
    expect((await io.loadImage('a.png')).data[0]).toBe(200);
    writeFileSync(join(dir, 'a.png'), await png(30));
    expect((await io.loadImage('a.png')).data[0]).toBe(30); // no fingerprint before it: read now
  });
});
