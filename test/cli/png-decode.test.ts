import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, decodeWithSharp, ImageInputError } from '../../src/cli/image-io.ts';
import { decodeSimplePng, decodeWithAddon, simplePng } from '../../src/cli/png-decode.ts';
import { loadNativeAddon } from '../../src/runtime/backends/cpu/native/native-kernels.ts';

const BAD = join(import.meta.dirname, '../fixtures/bad/images');

/** Every (value, alpha) pair once, as gray+alpha or RGBA (R = value, G = 255 - value, B = alpha). */
function allAlphas(channels: 2 | 4): Buffer {
  const raw = Buffer.alloc(256 * 256 * channels);
  for (let a = 0, i = 0; a < 256; a++) {
    for (let v = 0; v < 256; v++, i += channels) {
      if (channels === 2) raw.set([v, a], i);
      else raw.set([v, 255 - v, a, a], i);
    }
  }
  return raw;
}

/** A PNG written by hand: each row gets filter `(y + firstFilter) % 5`, so all five filters are used. */
function handPng(width: number, height: number, colourType: number, depth: number, samples: Uint8Array, extra: Buffer[] = [], firstFilter = 0): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colourType;
  const bpp = Math.max(1, (samples.length / (width * height)) | 0);
  const rowBytes = samples.length / height;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const filter = (y + firstFilter) % 5;
    const row = Buffer.alloc(rowBytes + 1);
    row[0] = filter;
    for (let i = 0; i < rowBytes; i++) {
      const x = samples[y * rowBytes + i];
      const a = i >= bpp ? samples[y * rowBytes + i - bpp] : 0;
      const b = y > 0 ? samples[(y - 1) * rowBytes + i] : 0;
      const c = y > 0 && i >= bpp ? samples[(y - 1) * rowBytes + i - bpp] : 0;
      const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      row[i + 1] = (x - predictor) & 255;
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), ...extra, chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}
const chunkOf = (type: string, data: number[]): Buffer => {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), Buffer.from(data)]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
};

const noise = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (Math.imul(i + seed, 2654435761) >>> 13) & 255);

async function expectSameAsSharp(png: Buffer): Promise<void> {
  const parsed = simplePng(png);
  expect(parsed, 'the fast path takes this file').toBeDefined();
  const fast = await decodeImage(png, { name: 'x.png' });
  const slow = await decodeWithSharp(png, 'x.png');
  expect([fast.width, fast.height]).toEqual([slow.width, slow.height]);
  expect(Buffer.from(fast.data).equals(Buffer.from(slow.data))).toBe(true);
  expect(fast.meta).toEqual(slow.meta);
}

// Both ways of decoding the pixel data: the native addon (libdeflate and C; the CLI after `npm run
// setup`) and node:zlib with TypeScript (without it).
describe.each([['the native addon', true], ['node:zlib and TypeScript', false]] as const)('decoding with %s', (_, native) => {
  beforeAll(() => decodeWithAddon(native));
  afterAll(() => decodeWithAddon(true));
  if (native) it('the native addon is built (npm run setup)', () => expect(loadNativeAddon()).not.toBeNull());

describe('the PNG fast path gives the same pixels and facts as sharp', () => {
    it('gray, RGB, and every filter type', async () => {
      await expectSameAsSharp(handPng(37, 23, 0, 8, noise(37 * 23, 1)));
      await expectSameAsSharp(handPng(37, 23, 2, 8, noise(37 * 23 * 3, 2)));
      // Row 4 is Paeth-filtered; at its second pixel left 110, above 80, upper-left 100 tie (10 = 10),
      // and the spec picks the one above.
      await expectSameAsSharp(handPng(2, 5, 0, 8, Uint8Array.from([1, 2, 3, 4, 5, 6, 100, 80, 110, 7])));
      // The first row filtered against the zeros above it, in a narrow photo and one with rows of 18000 bytes.
      for (const first of [1, 2, 3, 4]) await expectSameAsSharp(handPng(37, 23, 2, 8, noise(37 * 23 * 3, first), [], first));
      await expectSameAsSharp(handPng(6000, 3, 2, 8, noise(6000 * 3 * 3, 9), [], 3));
    });

    it('alpha over white for every value and alpha, gray+alpha and RGBA', async () => {
      await expectSameAsSharp(handPng(256, 256, 4, 8, allAlphas(2)));
      await expectSameAsSharp(handPng(256, 256, 6, 8, allAlphas(4)));
    });

    it('chunks that leave the pixels alone (gAMA, cHRM, sRGB, text, pHYs)', async () => {
      const extra = [chunkOf('gAMA', [0, 1, 0x86, 0xa0]), chunkOf('sRGB', [0]), chunkOf('tEXt', [...Buffer.from('Title\0cat')]), chunkOf('pHYs', [0, 0, 11, 19, 0, 0, 11, 19, 1])];
      await expectSameAsSharp(handPng(16, 9, 2, 8, noise(16 * 9 * 3, 3), extra));
    });

    it('sharp-written PNGs and the benchmark-sized photo', async () => {
      const rgb = noise(256 * 256 * 3, 4);
      for (const compressionLevel of [0, 6, 9]) {
        await expectSameAsSharp(await sharp(rgb, { raw: { width: 256, height: 256, channels: 3 } }).png({ compressionLevel, adaptiveFiltering: true }).toBuffer());
      }
      await expectSameAsSharp(readFileSync(join(BAD, 'gray.png')));
      await expectSameAsSharp(readFileSync(join(BAD, 'gray-alpha.png')));
    });
  });

  describe('PNGs the fast path leaves to sharp', () => {
    const pixels = noise(8 * 8 * 3, 5);
    const cases: [string, () => Promise<Buffer> | Buffer][] = [
      ['16-bit', () => readFileSync(join(BAD, 'gray-16bit.png'))],
      ['palette', () => readFileSync(join(BAD, 'gray-palette.png'))],
      ['interlaced', () => sharp(pixels, { raw: { width: 8, height: 8, channels: 3 } }).png({ progressive: true }).toBuffer()],
      ['an ICC profile', () => readFileSync(join(import.meta.dirname, '../../examples/chelsea.png'))],
      ['a transparency chunk', () => handPng(8, 8, 2, 8, pixels, [chunkOf('tRNS', [0, 1, 0, 2, 0, 3])])],
      ['an EXIF chunk', () => sharp(pixels, { raw: { width: 8, height: 8, channels: 3 } }).png().withMetadata({ orientation: 6 }).toBuffer()],
      ['an unknown chunk', () => handPng(8, 8, 2, 8, pixels, [chunkOf('abCd', [1, 2])])],
      ['a bad CRC', () => { const b = handPng(8, 8, 2, 8, pixels); b[b.length - 20] ^= 1; return b; }],
      ['a truncated file', () => readFileSync(join(BAD, 'truncated.png'))],
    ];
    for (const [what, make] of cases) {
      it(`a PNG with ${what} is decoded by sharp`, async () => {
        const png = await make();
        expect(simplePng(png)).toBeUndefined();
      });
    }

    it('damaged pixel data falls back to sharp, which names the problem', async () => {
      const good = handPng(8, 8, 2, 8, pixels);
      const parsed = simplePng(good)!;
      expect(decodeSimplePng({ ...parsed, idat: [Buffer.from('not zlib data')] })).toBeUndefined();
      expect(decodeSimplePng({ ...parsed, height: 9 })).toBeUndefined(); // less data than the header says
      expect(decodeSimplePng({ ...parsed, height: 7 })).toBeUndefined(); // more
      const zlib = deflateSync(Buffer.alloc(8 * (8 * 3 + 1)));
      zlib[zlib.length - 1] ^= 1; // a wrong checksum
      expect(decodeSimplePng({ ...parsed, idat: [zlib] })).toBeUndefined();
      const badFilter = handPng(8, 8, 2, 8, pixels);
      const raw = Buffer.alloc(8 * (8 * 3 + 1), 0);
      raw[0] = 7; // filter type 7 does not exist
      expect(decodeSimplePng({ ...simplePng(badFilter)!, idat: [deflateSync(raw)] })).toBeUndefined();
      await expect(decodeImage(readFileSync(join(BAD, 'corrupt.png')), { name: 'corrupt.png' })).rejects.toThrow(ImageInputError);
    });

    it('checks the pixel limit before decoding', async () => {
      const png = handPng(40, 30, 0, 8, noise(40 * 30, 6));
      await expect(decodeImage(png, { name: 'big.png', pixelLimit: 1000 })).rejects.toThrow(/big\.png: 40x30 is 0\.0 megapixels, above the limit of 0\.0/);
    });
  });
});
