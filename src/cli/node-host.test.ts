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

  it('reads again when another run read a photo between its fingerprint and its load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disco-io-'));
    writeFileSync(join(dir, 'a.png'), await png(10));
    writeFileSync(join(dir, 'b.png'), await png(200));
    const one = createNodeIO({ baseDir: dir }), two = createNodeIO({ baseDir: dir });
    await one.fingerprint('a.png');
    await two.fingerprint('b.png'); // the same buffer: a.png's bytes are gone
    expect((await one.loadImage('a.png')).data[0]).toBe(10);
    expect((await two.loadImage('b.png')).data[0]).toBe(200);
  });

  it('hands sharp its own copy of the bytes, so a read during its decode cannot change them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disco-io-'));
    writeFileSync(join(dir, 'a.jpg'), await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 250, g: 0, b: 0 } } }).jpeg().toBuffer());
    writeFileSync(join(dir, 'b.png'), await png(7));
    const one = createNodeIO({ baseDir: dir }), two = createNodeIO({ baseDir: dir });
    await one.fingerprint('a.jpg');
    const jpeg = one.loadImage('a.jpg'); // sharp is decoding...
    await two.fingerprint('b.png'); // ...while another run reads into the buffer
    expect((await jpeg).data[0]).toBeGreaterThan(240);
    expect((await two.loadImage('b.png')).data[0]).toBe(7);
  });
});
