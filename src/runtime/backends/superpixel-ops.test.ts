/**
 * Superpixel ops on both backends: the reference vectors (docs/disco-method.md §16), the defining properties of the
 * training-free stages, and every WGSL kernel against its CPU reference on small inputs.
 */
import { describe, expect, it } from 'vitest';
import { cpuTensor, type CpuTensor, type Tensor } from '../values/tensor.ts';
import type { ImageValue } from '../values/types.ts';
import { loadVector } from '../../../test/helpers/vectors.ts';
import { getGpuBackend } from '../../../test/helpers/gpu.ts';
import type { Backend } from './backend.ts';
import { createCpuBackend } from './cpu/cpu-backend.ts';
import { mulberry32 } from '../../../test/helpers/prng.ts';

const cpu = createCpuBackend();
const gpuPromise = getGpuBackend();
const backends: Record<string, () => Promise<Backend>> = { cpu: async () => cpu, webgpu: () => gpuPromise };

const vec = (c: string, k: string): CpuTensor => {
  const v = loadVector(c, k);
  return cpuTensor(v.shape, v.data as Float32Array);
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

const rng = mulberry32;
const randomTensor = (shape: number[], seed: number, scale = 1) => {
  const r = rng(seed);
  return cpuTensor(shape, Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => (r() * 2 - 1) * scale));
};
/** A softmax-over-9 association map, like SpixelNet's. */
function randomAssoc(H: number, W: number, seed: number): CpuTensor {
  const logits = randomTensor([1, 9, H, W], seed, 3).data;
  const out = new Float32Array(9 * H * W);
  for (let p = 0; p < H * W; p++) {
    let z = 0;
    for (let k = 0; k < 9; k++) z += Math.exp(logits[k * H * W + p]);
    for (let k = 0; k < 9; k++) out[k * H * W + p] = Math.exp(logits[k * H * W + p]) / z;
  }
  return cpuTensor([1, 9, H, W], out);
}

/** Two flat regions split by a slanted line that crosses cells: L 25 left, 75 right, a = b = 0. */
function twoRegionLab(H: number, W: number): { lab: CpuTensor; region: Uint8Array } {
  const lab = new Float32Array(3 * H * W);
  const region = new Uint8Array(H * W);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const right = x + 0.45 * y > 0.62 * W ? 1 : 0;
      region[y * W + x] = right;
      lab[y * W + x] = right ? 75 : 25;
    }
  }
  return { lab: cpuTensor([1, 3, H, W], lab), region };
}

/** Pixels whose superpixel (under `labels`) is mostly the other region: sum over labels of the minority count. */
function crossRegionPixels(labels: ArrayLike<number>, region: Uint8Array): number {
  const counts = new Map<number, [number, number]>();
  for (let p = 0; p < region.length; p++) {
    const c = counts.get(labels[p]) ?? [0, 0];
    c[region[p]]++;
    counts.set(labels[p], c);
  }
  let err = 0;
  for (const [a, b] of counts.values()) err += Math.min(a, b);
  return err;
}

const data = async (b: Backend, t: Tensor) => (await b.download(t)).data;

describe.each(Object.keys(backends))('superpixel ops on %s', (name) => {
  const get = backends[name];

  it('SP-Pooling matches spix_pool within 1e-5', async () => {
    const b = await get();
    const { pooled, mass } = await b.spPool(vec('spix_pool', 'feat'), vec('spix_pool', 'assoc'), 16);
    expect(pooled.shape).toEqual([1, 5, 4, 4]);
    expect(mass.shape).toEqual([1, 1, 4, 4]);
    expect(maxDiff(await data(b, pooled), vec('spix_pool', 'pooled').data)).toBeLessThanOrEqual(1e-5);
    expect(maxDiff(await data(b, mass), vec('spix_pool', 'prob_sum').data)).toBeLessThanOrEqual(1e-5);
  });

  it('SP-Diffusion matches spix_diffuse within 1e-5', async () => {
    const b = await get();
    const out = await b.spDiffuse(vec('spix_diffuse', 'tokens'), vec('spix_diffuse', 'assoc'), 16);
    expect(out.shape).toEqual([1, 5, 64, 64]);
    expect(maxDiff(await data(b, out), vec('spix_diffuse', 'out').data)).toBeLessThanOrEqual(1e-5);
  });

  it('superpixel sizes match spix_size exactly, with and without ties', async () => {
    const b = await get();
    expect(Array.from(await data(b, await b.spSizes(vec('spix_size', 'assoc'), 16)))).toEqual(Array.from(vec('spix_size', 'sizes').data));
    expect(Array.from(await data(b, await b.spSizes(vec('spix_size', 'assoc_tie'), 16)))).toEqual(Array.from(vec('spix_size', 'sizes_tie').data));
  });

  it('rejects an association map whose size is not a multiple of the cell', async () => {
    const b = await get();
    await expect(b.spSizes(randomAssoc(40, 32, 1), 16)).rejects.toThrow(/not a multiple of the cell size 16/);
  });

  it('SLIC: every pixel associations sum to 1, zero towards cells outside the grid', async () => {
    const b = await get();
    const { lab } = twoRegionLab(48, 64);
    const A = await data(b, await b.slicAffinity(lab, { cell: 16, iterations: 5, compactness: 10 }));
    const hw = 48 * 64;
    for (let p = 0; p < hw; p++) {
      let s = 0;
      for (let k = 0; k < 9; k++) s += A[k * hw + p];
      expect(Math.abs(s - 1)).toBeLessThan(1e-5);
    }
    // Pixel (0,0) is in the top-left cell: its top, left and top-left neighbours do not exist.
    for (const k of [0, 1, 2, 3, 6]) expect(A[k * hw]).toBe(0);
  });

  it('SLIC: hard labels follow a slanted region boundary better than the plain grid', async () => {
    const b = await get();
    const H = 64, W = 64;
    const { lab, region } = twoRegionLab(H, W);
    const grid = Int32Array.from({ length: H * W }, (_, p) => Math.floor(Math.floor(p / W) / 16) * 4 + Math.floor((p % W) / 16));
    const gridErr = crossRegionPixels(grid, region);
    const A = await b.slicAffinity(lab, { cell: 16, iterations: 5, compactness: 10 });
    const slicErr = crossRegionPixels(await data(b, await b.hardLabels(A, 16)), region);
    expect(gridErr).toBeGreaterThan(100);
    expect(slicErr).toBeLessThan(gridErr / 4);
  });

  it('propagation: anchor superpixels keep their colour exactly', async () => {
    const b = await get();
    const tokens = randomTensor([1, 4, 5, 7], 7);
    const seeds = [{ cell: 0, ab: [40, -20] as const }, { cell: 17, ab: [-60, 33] as const }, { cell: 34, ab: [5, 70] as const }];
    const ab = await data(b, await b.propagateSeeds(tokens, seeds, { sigma: 1, iterations: 30 }));
    for (const s of seeds) {
      expect(ab[s.cell]).toBe(Math.fround(s.ab[0] / 110));
      expect(ab[35 + s.cell]).toBe(Math.fround(s.ab[1] / 110));
    }
  });

  it('propagation: two anchors on two sides of a feature edge keep their colours on their sides', async () => {
    const b = await get();
    const h = 8, w = 8;
    const t = new Float32Array(2 * h * w);
    for (let i = 0; i < h * w; i++) t[i] = i % w >= 3 ? 5 : 0; // an edge between columns 2 and 3
    const seeds = [{ cell: 2 * w, ab: [40, 20] as const }, { cell: 5 * w + 6, ab: [-30, 50] as const }];
    const ab = await data(b, await b.propagateSeeds(cpuTensor([1, 2, h, w], t), seeds, { sigma: 1, iterations: 200 }));
    for (let i = 0; i < h * w; i++) {
      const want = i % w >= 3 ? seeds[1].ab : seeds[0].ab;
      expect(Math.abs(ab[i] * 110 - want[0])).toBeLessThan(0.5);
      expect(Math.abs(ab[h * w + i] * 110 - want[1])).toBeLessThan(0.5);
    }
  });

  it('propagation: no anchors is a clear error', async () => {
    const b = await get();
    await expect(b.propagateSeeds(randomTensor([1, 2, 4, 4], 1), [], { sigma: 1, iterations: 5 })).rejects.toThrow(/at least one anchor/);
  });

  it('overlay: draws label boundaries, leaves cell interiors alone', async () => {
    const b = await get();
    // A one-hot map pointing every pixel at its own cell: the boundaries are the grid lines.
    const A = new Float32Array(9 * 32 * 32);
    A.fill(1, 4 * 1024, 5 * 1024);
    const image: ImageValue = { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(10) };
    const out = await b.superpixelOverlay(image, cpuTensor([1, 9, 32, 32], A), 16, [255, 0, 0]);
    const px = (x: number, y: number) => Array.from(out.data.slice(4 * (y * 64 + x), 4 * (y * 64 + x) + 4));
    expect(px(31, 5)).toEqual([255, 0, 0, 255]); // last image column of map cell 0 (map x 15 -> image x 30, 31)
    expect(px(5, 31)).toEqual([255, 0, 0, 255]);
    expect(px(10, 10)).toEqual([10, 10, 10, 10]);
    expect(px(63, 63)).toEqual([10, 10, 10, 10]);
    expect(image.data[4 * (31 + 5 * 64)]).toBe(10); // the input is not mutated
  });
});

describe('WGSL superpixel kernels vs the CPU reference', () => {
  const close = async (g: Backend, a: Tensor, c: Tensor, tol: number) => {
    expect(a.shape).toEqual(c.shape);
    expect(a.location).toBe('gpu');
    expect(maxDiff(await data(g, a), await data(cpu, c))).toBeLessThanOrEqual(tol);
  };

  it('SP-Pooling and SP-Diffusion at cell 8 on a 32x48 map', async () => {
    const g = await gpuPromise;
    const A = randomAssoc(32, 48, 3);
    const x = randomTensor([1, 7, 32, 48], 4, 2);
    const pg = await g.spPool(x, A, 8);
    const pc = await cpu.spPool(x, A, 8);
    await close(g, pg.pooled, pc.pooled, 1e-5);
    await close(g, pg.mass, pc.mass, 1e-6);
    const t = randomTensor([1, 3, 4, 6], 5);
    await close(g, await g.spDiffuse(t, A, 8), await cpu.spDiffuse(t, A, 8), 1e-5);
  });

  it('sizes and hard labels at cell 8', async () => {
    const g = await gpuPromise;
    const A = randomAssoc(32, 48, 6);
    await close(g, await g.spSizes(A, 8), await cpu.spSizes(A, 8), 0);
    const lg = await g.hardLabels(A, 8);
    expect(lg.dtype).toBe('int32');
    expect(Array.from(await data(g, lg))).toEqual(Array.from(await data(cpu, await cpu.hardLabels(A, 8))));
  });

  it('soft SLIC on a noisy colour image', async () => {
    const g = await gpuPromise;
    const r = rng(9);
    const H = 32, W = 48;
    const lab = new Float32Array(3 * H * W);
    for (let p = 0; p < H * W; p++) {
      const x = p % W, y = Math.floor(p / W);
      lab[p] = 50 + 30 * Math.sin(x / 7) * Math.cos(y / 9) + 3 * r();
      lab[H * W + p] = 20 * Math.cos(x / 11) + 2 * r();
      lab[2 * H * W + p] = -15 + 10 * Math.sin(y / 5);
    }
    const opts = { cell: 8, iterations: 4, compactness: 10 };
    const t = cpuTensor([1, 3, H, W], lab);
    await close(g, await g.slicAffinity(t, opts), await cpu.slicAffinity(t, opts), 1e-4);
  });

  it('colour propagation on random tokens', async () => {
    const g = await gpuPromise;
    const tokens = randomTensor([1, 4, 5, 7], 11);
    const seeds = [{ cell: 3, ab: [40, -20] as const }, { cell: 30, ab: [-60, 33] as const }, { cell: 3, ab: [0, 0] as const }];
    const opts = { sigma: 1.5, iterations: 25 };
    await close(g, await g.propagateSeeds(tokens, seeds, opts), await cpu.propagateSeeds(tokens, seeds, opts), 1e-5);
    const none = { sigma: 1.5, iterations: 0 };
    await close(g, await g.propagateSeeds(tokens, seeds, none), await cpu.propagateSeeds(tokens, seeds, none), 1e-5);
  });

  it('keeps results on the GPU: only the overlay reads back', async () => {
    const g = await gpuPromise;
    const A = await g.upload(randomAssoc(32, 32, 12));
    const before = g.gpu.readbacks;
    const { pooled } = await g.spPool(await g.upload(randomTensor([1, 2, 32, 32], 13)), A, 16);
    await g.spDiffuse(pooled, A, 16);
    await g.spSizes(A, 16);
    await g.hardLabels(A, 16);
    expect(g.gpu.readbacks).toBe(before);
    await g.superpixelOverlay({ width: 8, height: 8, data: new Uint8ClampedArray(256) }, A, 16);
    expect(g.gpu.readbacks).toBe(before + 1);
  });
});
