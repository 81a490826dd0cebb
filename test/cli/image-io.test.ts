import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, encodePng, ImageInputError } from '../../src/cli/image-io.ts';

const px = (img: { data: Uint8ClampedArray; width: number }, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

describe('decodeImage', () => {
  it('reads a 16-bit gray PNG as 8-bit RGBA gray', async () => {
    const png = gray16Png(2, 2, [0, 32896, 65535, 257 * 10]);
    const img = await decodeImage(png);
    expect([img.width, img.height]).toEqual([2, 2]);
    expect(px(img, 0, 0)).toEqual([0, 0, 0, 255]);
    expect(px(img, 0, 1)).toEqual([255, 255, 255, 255]);
    expect(px(img, 1, 1)).toEqual([10, 10, 10, 255]);
    expect(img.meta?.hadColor).toBe(false);
  });

  it('composites alpha over white (the stated rule) and reports colour', async () => {
    const png = await sharp({ create: { width: 2, height: 1, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const img = await decodeImage(png);
    expect(px(img, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(img.meta?.hadAlpha).toBe(true);
  });

  it('reads palette PNGs and CMYK JPEGs as RGB', async () => {
    const pal = await sharp({ create: { width: 3, height: 2, channels: 3, background: { r: 0, g: 128, b: 255 } } }).png({ palette: true }).toBuffer();
    expect(px(await decodeImage(pal), 2, 1).slice(0, 3)).toEqual([0, 128, 255]);
    const cmyk = await sharp({ create: { width: 4, height: 4, channels: 3, background: { r: 200, g: 40, b: 40 } } }).toColourspace('cmyk').jpeg().toBuffer();
    const img = await decodeImage(cmyk);
    expect(img.meta?.hadColor).toBe(true);
    const [r, g, b] = px(img, 1, 1);
    expect(r).toBeGreaterThan(g + 60);
    expect(r).toBeGreaterThan(b + 60);
  });

  it('applies the EXIF orientation', async () => {
    // A 3x1 image whose EXIF says "rotate 90° clockwise" must come out 1x3.
    const jpg = await sharp({ create: { width: 3, height: 1, channels: 3, background: '#808080' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const img = await decodeImage(jpg);
    expect([img.width, img.height]).toEqual([1, 3]);
  });

  it('takes the first frame of an animated WebP', async () => {
    const frames = Buffer.concat([Buffer.alloc(2 * 2 * 4, 0), Buffer.alloc(2 * 2 * 4, 255)]);
    const webp = await sharp(frames, { raw: { width: 2, height: 4, channels: 4, pageHeight: 2 } as never }).webp({ lossless: true, loop: 0 }).toBuffer();
    const meta = await sharp(webp).metadata();
    expect(meta.pages).toBe(2);
    const img = await decodeImage(webp);
    expect([img.width, img.height]).toEqual([2, 2]);
  });

  it('refuses text, truncated files and images over the pixel limit, naming the file', async () => {
    await expect(decodeImage(new TextEncoder().encode('not an image'), { name: 'notes.png' })).rejects.toThrow(/notes\.png: not a readable image/);
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#123456' } }).png().toBuffer();
    await expect(decodeImage(png.subarray(0, png.length - 30), { name: 'cut.png' })).rejects.toThrow(ImageInputError);
    await expect(decodeImage(png, { name: 'big.png', pixelLimit: 1000 })).rejects.toThrow(/big\.png: 64x64 .* above the limit/);
  });

  it('encodes PNG that decodes to the same pixels', async () => {
    const data = new Uint8ClampedArray([10, 20, 30, 255, 40, 50, 60, 255]);
    const back = await decodeImage(await encodePng({ width: 2, height: 1, data }));
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });
});

/** A minimal 16-bit grayscale PNG, written by hand so the test controls every sample. */
function gray16Png(width: number, height: number, samples: number[]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 16; ihdr[9] = 0; // bit depth 16, colour type gray
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 2);
    for (let x = 0; x < width; x++) row.writeUInt16BE(samples[y * width + x], 1 + x * 2);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}
