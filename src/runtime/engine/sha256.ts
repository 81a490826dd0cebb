/**
 * A small synchronous SHA-256 (FIPS 180-4) over UTF-8 text. Cache keys need a stable, collision-safe
 * hash that runs in the browser and in Node without async WebCrypto or node:crypto.
 */
import { LITTLE_ENDIAN } from '../little-endian.ts';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
const encoder = new TextEncoder();
/** Scratch kept between calls (a run hashes one key per node): the padded message, its words, the schedule. */
let block = new Uint8Array(1024);
let words = new Int32Array(block.buffer);
const w = new Int32Array(64);
const h = new Int32Array(8);

export function sha256Hex(text: string): string {
  // UTF-8 takes at most 3 bytes per UTF-16 unit; padding adds 0x80, zeros, then the bit length
  // as a 64-bit big-endian integer.
  if (3 * text.length + 72 > block.length) {
    block = new Uint8Array(2 ** Math.ceil(Math.log2(3 * text.length + 72)));
    words = new Int32Array(block.buffer);
  }
  const len = encoder.encodeInto(text, block).written;
  const total = Math.ceil((len + 9) / 64) * 64;
  block.fill(0, len, total);
  block[len] = 0x80;
  const bits = len * 8, high = Math.floor(bits / 2 ** 32);
  block[total - 8] = high >>> 24;
  block[total - 7] = high >>> 16;
  block[total - 6] = high >>> 8;
  block[total - 5] = high;
  block[total - 4] = bits >>> 24;
  block[total - 3] = bits >>> 16;
  block[total - 2] = bits >>> 8;
  block[total - 1] = bits;

  h.set(H0);
  for (let off = 0; off < total; off += 64) {
    for (let i = 0; i < 16; i++) {
      const x = words[(off >> 2) + i]; // big-endian words from a little- or big-endian view
      w[i] = LITTLE_ENDIAN ? (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24) : x;
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15], b = w[i - 2];
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g; g = f; f = e; e = (d + t1) | 0;
      d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  let hex = '';
  for (let i = 0; i < 8; i++) {
    const x = h[i];
    hex += HEX[x >>> 24] + HEX[(x >>> 16) & 0xff] + HEX[(x >>> 8) & 0xff] + HEX[x & 0xff];
  }
  return hex;
}

const H0 = Int32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);
