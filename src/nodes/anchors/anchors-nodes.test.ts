import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../test/helpers/vectors.ts';
import type { Backend } from '../../runtime/backends/backend.ts';
import { createCpuBackend } from '../../runtime/backends/cpu/cpu-backend.ts';
import { labToRgbPixel } from '../../runtime/backends/cpu/lab.ts';
import { MT19937 } from '../../runtime/backends/common/mt19937.ts';
import { pickAnchors } from '../../runtime/backends/common/pick-anchors.ts';
import type { ExecContext } from '../../runtime/engine/context.ts';
import { noModels } from '../../runtime/engine/context.ts';
import type { NodeDef, Values } from '../../runtime/engine/node-def.ts';
import { cpuTensor, type CpuTensor, type Tensor } from '../../runtime/values/tensor.ts';
import type { AffinityValue, AnchorsValue, ImageValue, TokensValue } from '../../runtime/values/types.ts';
import { anchorLocator } from './anchor-locator.ts';
import { anchorOverlay } from './anchor-overlay.ts';
import { anchorsNodes } from './index.ts';
import { mergeAnchorsNode } from './merge-anchors.ts';
import { userAnchors } from './user-anchors.ts';

function ctxWith(backend: Backend, warnings: string[] = []): ExecContext {
  return {
    nodeId: 'n1', backend, models: noModels, signal: new AbortController().signal,
    io: { loadImage: async () => { throw new Error('no images here'); }, fingerprint: async () => '' },
    progress() {}, warn: (m) => warnings.push(m),
  };
}
const defaults = (def: NodeDef) => Object.fromEntries(Object.entries(def.params).map(([k, p]) => [k, p.default]));
const run = async (def: NodeDef, inputs: Values, params: Values = {}, backend: Backend = createCpuBackend(), warnings: string[] = []) =>
  def.execute(ctxWith(backend, warnings), inputs, { ...defaults(def), ...params });
const vec = (name: string, key: string): CpuTensor => {
  const v = loadVector(name, key);
  return cpuTensor(v.shape, v.data as Float32Array);
};
const anchorsOf = (out: Values) => out.anchors as AnchorsValue;

describe('anchor nodes', () => {
  it('are registered under DISCO/anchors with kebab ids', () => {
    expect(anchorsNodes.map((d) => d.id)).toEqual(['disco/anchor-locator', 'disco/user-anchors', 'disco/merge-anchors', 'disco/reference-colors', 'disco/anchor-overlay']);
    for (const d of anchorsNodes) expect(d.category).toBe('DISCO/anchors');
  });
});

describe('disco/anchor-locator', () => {
  // A backend whose superpixel sizes are the vectors' own, to hold the node against hint_mask.
  const withSizes = (sizes: Tensor): Backend => ({ ...createCpuBackend(), spSizes: async () => sizes });
  const dummyAffinity: AffinityValue = { assoc: cpuTensor([1, 9, 256, 256]), cell: 16, method: 'test' };

  it.each(['kmeans_grid16', 'kmeans_empty'])('places the anchors of %s where the reference hint mask is', async (name) => {
    const features: TokensValue = { tokens: vec(name, 'tokens'), cell: 16 };
    const seed = loadVector(name, 'seed').data[0];
    const out = anchorsOf(await run(anchorLocator, { features, affinity: dummyAffinity }, { seed }, withSizes(vec(name, 'spixel_sizes'))));
    expect([out.gridH, out.gridW]).toEqual([16, 16]);
    const mask = new Float32Array(256);
    for (const a of out.anchors) mask[a.cell] += 1;
    if (name === 'kmeans_grid16') {
      // No empty cluster here, so the run is exact without replayed torch draws.
      expect(Array.from(mask)).toEqual(Array.from(loadVector(name, 'hint_mask').data));
      expect(Array.from(out.clusters!)).toEqual(Array.from(loadVector(name, 'labels').data));
    }
    expect(out.anchors).toHaveLength(8);
    out.anchors.forEach((a, c) => {
      expect(a).toMatchObject({ source: 'auto', cluster: c, x: ((a.cell % 16) + 0.5) / 16, y: (Math.floor(a.cell / 16) + 0.5) / 16 });
    });
  });

  it('computes superpixel sizes from the affinity with the backend', async () => {
    // The spix_size map (4x4 grid of 16 px cells) and 4x4 random tokens.
    const rng = new MT19937(4);
    const tokens = cpuTensor([1, 64, 4, 4], Float32Array.from({ length: 64 * 16 }, () => rng.random()));
    const affinity: AffinityValue = { assoc: vec('spix_size', 'assoc'), cell: 16, method: 'test' };
    const out = anchorsOf(await run(anchorLocator, { features: { tokens, cell: 16 }, affinity }, { k: 3 }));
    const want = pickAnchors(out.clusters!, vec('spix_size', 'sizes').data, 3);
    expect(out.anchors.map((a) => a.cell)).toEqual(Array.from(want.cells));
  });

  it('keeps locked anchors in place of their cluster’s automatic anchor', async () => {
    const name = 'kmeans_grid16';
    const features: TokensValue = { tokens: vec(name, 'tokens'), cell: 16 };
    const backend = withSizes(vec(name, 'spixel_sizes'));
    const plain = anchorsOf(await run(anchorLocator, { features, affinity: dummyAffinity }, {}, backend));
    // Lock a different token of cluster 2.
    const cell = plain.clusters!.findIndex((l, t) => l === 2 && t !== plain.anchors[2].cell);
    const locked: AnchorsValue = { gridH: 16, gridW: 16, anchors: [{ cell, x: 0.1, y: 0.2, source: 'user', ab: [10, 20] }] };
    const out = anchorsOf(await run(anchorLocator, { features, affinity: dummyAffinity, locked }, {}, backend));
    expect(out.anchors).toHaveLength(8);
    expect(out.anchors.find((a) => a.cluster === 2)).toEqual({ cell, x: 0.1, y: 0.2, source: 'user', ab: [10, 20], locked: true, cluster: 2 });
    expect(out.anchors.filter((a) => a.cluster !== 2)).toEqual(plain.anchors.filter((a) => a.cluster !== 2));
  });

  it('puts automatic anchors on the photo when the association map is padded', async () => {
    // 4 x 4 tokens of 16 px; the photo fills the top 40 rows (Keep Aspect): token rows 0-2 hold photo pixels.
    const rng = new MT19937(5);
    const tokens = cpuTensor([1, 64, 4, 4], Float32Array.from({ length: 64 * 16 }, () => rng.random()));
    const affinity: AffinityValue = { assoc: vec('spix_size', 'assoc'), cell: 16, method: 'test', content: { width: 64, height: 40 } };
    const out = anchorsOf(await run(anchorLocator, { features: { tokens, cell: 16 }, affinity }, { k: 5 }));
    for (const a of out.anchors) {
      const row = Math.floor(a.cell / 4);
      expect(a.x).toBeCloseTo(((a.cell % 4) + 0.5) / 4);
      expect(a.y).toBeCloseTo(Math.min(1, ((row + 0.5) * 16) / 40));
    }
  });

  it('says what is wrong with mismatched grids', async () => {
    const features: TokensValue = { tokens: vec('kmeans_small', 'tokens'), cell: 16 };
    const backend = withSizes(vec('kmeans_grid16', 'spixel_sizes'));
    await expect(run(anchorLocator, { features, affinity: dummyAffinity }, { k: 4 }, backend)).rejects.toThrow(/16x16 superpixel grid but the features are 4x4/);
    const ok = withSizes(vec('kmeans_small', 'spixel_sizes'));
    const locked: AnchorsValue = { gridH: 16, gridW: 16, anchors: [] };
    await expect(run(anchorLocator, { features, affinity: dummyAffinity, locked }, { k: 4 }, ok)).rejects.toThrow(/locked anchors are on a 16x16 token grid, expected 4x4/);
  });
});

describe('disco/user-anchors', () => {
  it('turns normalised points and colours into user anchors on the grid', async () => {
    const params = { anchors: [{ x: 0.5, y: 0.25, color: '#ff0000' }, { x: 1, y: 1, ab: [-20, 30], locked: true }, { x: 0, y: 0 }] };
    const out = anchorsOf(await run(userAnchors, {}, { ...params, gridH: 4, gridW: 8 }));
    expect([out.gridH, out.gridW]).toEqual([4, 8]);
    const [red, corner, bare] = out.anchors;
    expect(red).toMatchObject({ cell: 1 * 8 + 4, x: 0.5, y: 0.25, source: 'user' });
    // sRGB red is Lab (53.24, 80.09, 67.20).
    expect(red.ab![0]).toBeCloseTo(80.09, 1);
    expect(red.ab![1]).toBeCloseTo(67.2, 1);
    expect(corner).toEqual({ cell: 31, x: 1, y: 1, source: 'user', ab: [-20, 30], locked: true });
    expect(bare).toEqual({ cell: 0, x: 0, y: 0, source: 'user' });
  });

  it('takes the grid from the grid input and keeps the later of two anchors in one token', async () => {
    const warnings: string[] = [];
    const grid: TokensValue = { tokens: cpuTensor([1, 64, 2, 3]), cell: 16 };
    const params = { anchors: [{ x: 0.1, y: 0.1, color: '#00ff00' }, { x: 0.2, y: 0.2, color: '#0000ff' }] };
    const out = anchorsOf(await run(userAnchors, { grid }, params, createCpuBackend(), warnings));
    expect([out.gridH, out.gridW]).toEqual([2, 3]);
    expect(out.anchors).toHaveLength(1);
    expect(out.anchors[0]).toMatchObject({ cell: 0, x: 0.2 });
    expect(warnings[0]).toMatch(/two user anchors fall in token 0/);
  });

  it('places x, y on the photo when Keep Aspect pads the grid (the same photo point as without padding)', async () => {
    // A landscape photo: 64 x 32 of a 64 x 64 working image, 16 px cells (4 x 4 tokens, rows 2-3 padding).
    const grid: TokensValue = { tokens: cpuTensor([1, 64, 4, 4]), cell: 16, content: { width: 64, height: 32 } };
    const params = { anchors: [{ x: 0.6, y: 0.6, color: '#00ff00' }, { x: 0.1, y: 1, color: '#0000ff' }] };
    const out = anchorsOf(await run(userAnchors, { grid }, params));
    // y = 0.6 of the photo is working row 19 -> token row 1; the bottom edge is still token row 1.
    expect(out.anchors.map((a) => a.cell)).toEqual([1 * 4 + 2, 1 * 4 + 0]);
    expect(out.anchors[0]).toMatchObject({ x: 0.6, y: 0.6 });
  });

  it('turns remove entries into suppressed tokens; the later entry of a token wins', async () => {
    const params = {
      anchors: [
        { x: 0.1, y: 0.1, remove: true }, // token 0, then re-added below
        { x: 0.9, y: 0.1, color: '#00ff00' }, // token 3, then removed below
        { x: 0.6, y: 0.6, remove: true }, // token 10
        { x: 0.2, y: 0.2, ab: [10, 20] },
        { x: 0.8, y: 0.2, remove: true },
      ],
    };
    const out = anchorsOf(await run(userAnchors, {}, { ...params, gridH: 4, gridW: 4 }));
    expect(out.anchors).toEqual([{ cell: 0, x: 0.2, y: 0.2, source: 'user', ab: [10, 20] }]);
    expect([...out.suppressed!].sort((a, b) => a - b)).toEqual([3, 10]);
    const none = anchorsOf(await run(userAnchors, {}, { anchors: [{ x: 0.5, y: 0.5 }] }));
    expect(none.suppressed).toBeUndefined();
  });

  it.each([
    [[{ x: 0.5, y: 0.5, remove: false }], /remove must be true when given/],
    [[{ x: 0.5, y: 0.5, remove: true, color: '#ff0000' }], /a remove entry takes no color, ab or locked/],
    [[{ x: 1.2, y: 0 }], /anchor 0: x must be a number in 0\.\.1/],
    [[{ x: 0.5, y: 0.5 }, { x: 0.5, y: -0.1 }], /anchor 1: y must be a number in 0\.\.1/],
    [[{ x: 0.5, y: 0.5, color: '#ggg000' }], /color must look like #a1b2c3/],
    [[{ x: 0.5, y: 0.5, color: '#000000', ab: [1, 2] }], /either color or ab/],
    [[{ x: 0.5, y: 0.5, ab: [1] }], /ab must be two numbers/],
    ['nope', /anchors must be a list/],
  ])('rejects %j with a clear message', async (anchors, message) => {
    expect((userAnchors as NodeDef).validate!({ ...defaults(userAnchors), anchors })).toMatch(message);
    await expect(run(userAnchors, {}, { anchors })).rejects.toThrow(message);
  });
});

describe('disco/merge-anchors', () => {
  const auto: AnchorsValue = {
    gridH: 2, gridW: 2, clusters: new Int32Array([0, 1, 1, 2]),
    anchors: [
      { cell: 0, x: 0.25, y: 0.25, source: 'auto', cluster: 0 },
      { cell: 1, x: 0.75, y: 0.25, source: 'auto', cluster: 1 },
      { cell: 3, x: 0.75, y: 0.75, source: 'auto', cluster: 2 },
    ],
  };

  it('lets user anchors override automatic anchors in the same cell', async () => {
    const user: AnchorsValue = { gridH: 2, gridW: 2, anchors: [{ cell: 1, x: 0.6, y: 0.4, source: 'user', ab: [5, 5] }, { cell: 2, x: 0.2, y: 0.8, source: 'user' }] };
    const out = anchorsOf(await run(mergeAnchorsNode, { auto, user }));
    expect(out.anchors).toEqual([
      auto.anchors[0], auto.anchors[2],
      { cell: 1, x: 0.6, y: 0.4, source: 'user', ab: [5, 5], cluster: 1 },
      { cell: 2, x: 0.2, y: 0.8, source: 'user', cluster: 1 },
    ]);
    expect(out.clusters).toBe(auto.clusters);
  });

  it('drops the automatic anchors of suppressed tokens and adds nothing there', async () => {
    const user: AnchorsValue = { gridH: 2, gridW: 2, anchors: [{ cell: 2, x: 0.2, y: 0.8, source: 'user', ab: [1, 2] }], suppressed: [1, 0] };
    const out = anchorsOf(await run(mergeAnchorsNode, { auto, user }));
    expect(out.anchors).toEqual([auto.anchors[2], { cell: 2, x: 0.2, y: 0.8, source: 'user', ab: [1, 2], cluster: 1 }]);
    expect(out.suppressed).toBeUndefined();
  });

  it('moves an automatic anchor: remove at the old token, a user anchor at the new one (user-anchors to merge)', async () => {
    const moved = anchorsOf(await run(userAnchors, {}, { gridH: 2, gridW: 2, anchors: [{ x: 0.75, y: 0.25, remove: true }, { x: 0.3, y: 0.7, ab: [40, 40] }] }));
    const out = anchorsOf(await run(mergeAnchorsNode, { auto, user: moved }));
    expect(out.anchors.map((a) => [a.cell, a.source])).toEqual([[0, 'auto'], [3, 'auto'], [2, 'user']]);
  });

  it('refuses anchors on different grids', async () => {
    const user: AnchorsValue = { gridH: 4, gridW: 4, anchors: [] };
    await expect(run(mergeAnchorsNode, { auto, user })).rejects.toThrow(/user anchors are on a 4x4 token grid, expected 2x2/);
  });
});

describe('disco/anchor-overlay', () => {
  const image = (): ImageValue => ({ width: 40, height: 20, data: new Uint8ClampedArray(40 * 20 * 4).fill(50) });
  const px = (img: ImageValue, x: number, y: number) => Array.from(img.data.slice((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));

  it('draws coloured dots with rings, gray rings for uncoloured anchors, and leaves the input alone', async () => {
    const input = image();
    const anchors: AnchorsValue = {
      gridH: 1, gridW: 2,
      anchors: [{ cell: 0, x: 0.25, y: 0.5, source: 'auto', ab: [40, -30] }, { cell: 1, x: 0.75, y: 0.5, source: 'auto' }],
    };
    const out = (await run(anchorOverlay, { image: input, anchors }, { radius: 0.25 })).image as ImageValue;
    const r = 0.25 * 20; // 5 px
    expect(px(out, 10, 10)).toEqual(labToRgbPixel(65, 40, -30).map((v) => Math.round(v * 255)));
    expect(px(out, 10 + Math.floor(r * 0.8), 10)).toEqual([255, 255, 255]); // ring
    expect(px(out, 30, 10)).toEqual([50, 50, 50]); // no dot: the image shows through
    expect(px(out, 30 + Math.floor(r * 0.8), 10)).toEqual([158, 158, 158]); // gray ring
    expect(px(out, 0, 0)).toEqual([50, 50, 50]);
    expect(input.data.every((v) => v === 50)).toBe(true);
  });

  it('rejects an anchor outside the image', async () => {
    const anchors: AnchorsValue = { gridH: 1, gridW: 1, anchors: [{ cell: 0, x: 1.5, y: 0.5, source: 'user' }] };
    await expect(run(anchorOverlay, { image: image(), anchors })).rejects.toThrow(/position \(1.5, 0.5\) outside 0..1/);
  });
});
