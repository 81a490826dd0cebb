/**
 * The training-free path end to end through `disco run`: soft-SLIC superpixels, the user's anchors
 * and Laplacian propagation colourise the example photo with no model at all.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../src/cli/image-io.ts';
import { rgbToLabPixel } from '../../src/runtime/backends/cpu/lab.ts';
import { EXAMPLE_ANCHORS } from '../../scripts/make-workflows.ts';
import type { ImageValue } from '../../src/runtime/values/types.ts';
import { disco } from './helpers.ts';

const abAt = (img: ImageValue, x: number, y: number): [number, number] => {
  const i = (Math.round(y * (img.height - 1)) * img.width + Math.round(x * (img.width - 1))) * 4;
  const [, a, b] = rgbToLabPixel(img.data[i] / 255, img.data[i + 1] / 255, img.data[i + 2] / 255);
  return [a, b];
};
const hexAb = (hex: string): [number, number] => {
  const n = parseInt(hex.slice(1), 16);
  const [, a, b] = rgbToLabPixel((n >> 16) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
  return [a, b];
};

describe('user-guided workflow (anchors only, no models)', () => {
  let out: ImageValue;
  let stderr: string;
  const dir = mkdtempSync(join(tmpdir(), 'disco-ug-'));
  beforeAll(async () => {
    const r = await disco(['run', 'workflows/user-guided.json', '-o', join(dir, 'out.png')]);
    stderr = r.stderr;
    expect(r.code, r.stderr).toBe(0);
    out = await decodeImageFile(join(dir, 'out.png'));
  });

  it('keeps the original size and reports each node', () => {
    expect([out.width, out.height]).toEqual([451, 300]);
    expect(stderr).toMatch(/Propagate Anchors: \d+ ms/);
  });

  it('puts each anchor colour at its anchor', () => {
    for (const a of EXAMPLE_ANCHORS) {
      const [ea, eb] = hexAb(a.color);
      const [ga, gb] = abAt(out, a.x, a.y);
      // The anchor's superpixel holds exactly the anchor colour; pixels mix it with their soft
      // neighbours (SP-Diffusion) and are resampled from 256 px to 451x300, so allow 8 ab units.
      // And it must be nearer the anchor colour than gray is, whatever the anchor's chroma.
      const err = Math.hypot(ga - ea, gb - eb);
      expect(err, `anchor at ${a.x},${a.y}`).toBeLessThan(8);
      expect(err, `anchor at ${a.x},${a.y}`).toBeLessThan(0.5 * Math.hypot(ea, eb));
    }
  });

  it('is not gray elsewhere', () => {
    let coloured = 0;
    const n = out.width * out.height;
    for (let p = 0; p < n; p++) {
      const [, a, b] = rgbToLabPixel(out.data[p * 4] / 255, out.data[p * 4 + 1] / 255, out.data[p * 4 + 2] / 255);
      if (Math.hypot(a, b) > 5) coloured++;
    }
    expect(coloured / n).toBeGreaterThan(0.8);
  });

  it('gives the same picture with the WGSL kernels (--backend webgpu) as with the CPU references', async () => {
    const r = await disco(['run', 'workflows/user-guided.json', '--backend', 'webgpu', '-o', join(dir, 'gpu.png')]);
    expect(r.code, r.stderr).toBe(0);
    const gpu = await decodeImageFile(join(dir, 'gpu.png'));
    let worst = 0;
    for (let i = 0; i < gpu.data.length; i++) worst = Math.max(worst, Math.abs(gpu.data[i] - out.data[i]));
    expect(worst).toBeLessThanOrEqual(2); // float rounding differs between WGSL and TypeScript
  }, 120_000);

  it('--backend auto takes the CPU kernels on a software adapter and says why', async () => {
    // The test environment offers only SwiftShader (VK_ICD_FILENAMES, scripts/test.sh).
    const r = await disco(['run', 'workflows/user-guided.json', '--backend', 'auto', '-o', join(dir, 'auto.png')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^backend: cpu \(WebGPU adapter .*swiftshader.* is a fallback \(software\) adapter, slower than the CPU kernels\)$/im);
    const auto = await decodeImageFile(join(dir, 'auto.png'));
    expect(Buffer.from(auto.data).equals(Buffer.from(out.data))).toBe(true);
  }, 120_000);

  it('refuses an unknown --backend', async () => {
    const r = await disco(['run', 'workflows/user-guided.json', '--backend', 'gpu']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--backend must be cpu, webgpu or auto, got "gpu"');
  });
});
