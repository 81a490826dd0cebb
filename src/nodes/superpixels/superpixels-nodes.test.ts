/** The superpixel nodes, run through `execute` with a hand-made context on the CPU backend. */
import { describe, expect, it } from 'vitest';
import { loadVector } from '../../../test/helpers/vectors.ts';
import { createCpuBackend } from '../../runtime/backends/cpu/cpu-backend.ts';
import { noModels, type ExecContext } from '../../runtime/engine/context.ts';
import type { NodeDef, Values } from '../../runtime/engine/node-def.ts';
import { cpuTensor, type CpuTensor, type Tensor } from '../../runtime/values/tensor.ts';
import type { AffinityValue, AnchorsValue, ImageValue, LabValue, TokensValue } from '../../runtime/values/types.ts';
import { superpixelsNodes } from './index.ts';
import { labTokens } from './lab-tokens.ts';
import { propagateAnchors } from './propagate-anchors.ts';
import { slicAffinity } from './slic-affinity.ts';
import { spDiffuse } from './sp-diffuse.ts';
import { spPool } from './sp-pool.ts';
import { superpixelOverlay } from './superpixel-overlay.ts';

const backend = createCpuBackend();
const ctx: ExecContext = {
  nodeId: 'n1', backend, models: noModels, signal: new AbortController().signal,
  io: { loadImage: async () => { throw new Error('no images here'); }, fingerprint: async () => '' },
  progress() {}, warn() {},
};
const defaults = (def: NodeDef) => Object.fromEntries(Object.entries(def.params).map(([k, p]) => [k, p.default]));
const run = async (def: NodeDef, inputs: Values, params: Values = {}) => def.execute(ctx, inputs, { ...defaults(def), ...params });
const vec = (name: string, key: string): CpuTensor => {
  const v = loadVector(name, key);
  return cpuTensor(v.shape, v.data as Float32Array);
};
const values = (t: Tensor) => Array.from((t as CpuTensor).data);
const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

/** Two flat regions split by a slanted line: L 25 left of x + 0.45 y = 40, L 75 right; a = b = 0. */
function twoRegions(H: number, W: number): LabValue {
  const lab = new Float32Array(3 * H * W);
  for (let p = 0; p < H * W; p++) lab[p] = (p % W) + 0.45 * Math.floor(p / W) > 40 ? 75 : 25;
  return { lab: cpuTensor([1, 3, H, W], lab), content: { width: W, height: H } };
}

describe('superpixel nodes', () => {
  it('are registered under DISCO/superpixels with kebab ids', () => {
    expect(superpixelsNodes.map((d) => d.id)).toEqual([
      'disco/sp-pool', 'disco/sp-diffuse', 'disco/slic-affinity', 'disco/lab-tokens', 'disco/propagate-anchors', 'disco/superpixel-overlay',
    ]);
    for (const d of superpixelsNodes) expect(d.category).toBe('DISCO/superpixels');
  });

  it('sp-pool gives the reference tokens and mass, and pools ab along', async () => {
    const affinity: AffinityValue = { assoc: vec('spix_pool', 'assoc'), cell: 16, method: 'spixelnet' };
    const feat = vec('spix_pool', 'feat');
    const ab = cpuTensor([1, 2, 64, 64], feat.data.slice(64 * 64, 3 * 64 * 64) as Float32Array); // channels 1..2
    const t = (await run(spPool, { features: feat, affinity, ab })).tokens as TokensValue;
    expect(t.cell).toBe(16);
    expect(maxDiff(values(t.tokens), values(vec('spix_pool', 'pooled')))).toBeLessThanOrEqual(1e-5);
    expect(maxDiff(values(t.mass!), values(vec('spix_pool', 'prob_sum')))).toBeLessThanOrEqual(1e-5);
    expect(t.pooledAb!.shape).toEqual([1, 2, 4, 4]);
    expect(maxDiff(values(t.pooledAb!), values(t.tokens).slice(16, 48))).toBeLessThanOrEqual(1e-6);
  });

  it('sp-diffuse gives the reference pixels and refuses tokens of another cell size', async () => {
    const affinity: AffinityValue = { assoc: vec('spix_diffuse', 'assoc'), cell: 16, method: 'spixelnet' };
    const tokens: TokensValue = { tokens: vec('spix_diffuse', 'tokens'), cell: 16 };
    const out = (await run(spDiffuse, { tokens, affinity })).features as Tensor;
    expect(maxDiff(values(out), values(vec('spix_diffuse', 'out')))).toBeLessThanOrEqual(1e-5);
    await expect(run(spDiffuse, { tokens: { ...tokens, cell: 8 }, affinity })).rejects.toThrow(/cell 8 .* cell 16/);
  });

  it('slic-affinity and lab-tokens make an 8x8-cell map and mean-Lab tokens', async () => {
    const lab = twoRegions(32, 48);
    const affinity = (await run(slicAffinity, { lab }, { cell: 8 })).affinity as AffinityValue;
    expect(affinity).toMatchObject({ cell: 8, method: 'slic' });
    expect(affinity.assoc.shape).toEqual([1, 9, 32, 48]);
    const tokens = (await run(labTokens, { lab, affinity })).tokens as TokensValue;
    expect(tokens.tokens.shape).toEqual([1, 3, 4, 6]);
    for (const L of values(tokens.tokens).slice(0, 24)) expect(L >= 25 - 1e-3 && L <= 75 + 1e-3).toBe(true);
    await expect(run(slicAffinity, { lab: twoRegions(36, 48) }, { cell: 16 })).rejects.toThrow(/not a multiple of the cell size 16/);
  });

  it('the training-free chain colours each region with its own anchor', async () => {
    const H = 64, W = 64;
    const lab = twoRegions(H, W);
    const affinity = (await run(slicAffinity, { lab })).affinity as AffinityValue;
    const tokens = (await run(labTokens, { lab, affinity })).tokens as TokensValue;
    const anchors: AnchorsValue = {
      gridH: 4, gridW: 4,
      anchors: [
        { cell: 4, x: 0.125, y: 0.375, ab: [50, -10], source: 'user' },
        { cell: 15, x: 0.875, y: 0.875, ab: [-20, 60], source: 'user' },
      ],
    };
    const ab = (await run(propagateAnchors, { anchors, tokens, affinity })).ab as CpuTensor;
    expect(ab.shape).toEqual([1, 2, H, W]);
    let checked = 0;
    for (let p = 0; p < H * W; p++) {
      const side = (p % W) + 0.45 * Math.floor(p / W) - 40;
      if (Math.abs(side) < 12) continue; // interiors only: pixels near the edge mix both sides by design
      const want = side > 0 ? [-20, 60] : [50, -10];
      expect(Math.abs(ab.data[p] * 110 - want[0])).toBeLessThan(1);
      expect(Math.abs(ab.data[H * W + p] * 110 - want[1])).toBeLessThan(1);
      checked++;
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('propagate-anchors says what is missing: anchors, a colour, the right grid', async () => {
    const lab = twoRegions(32, 32);
    const affinity = (await run(slicAffinity, { lab })).affinity as AffinityValue;
    const tokens = (await run(labTokens, { lab, affinity })).tokens as TokensValue;
    const none: AnchorsValue = { gridH: 2, gridW: 2, anchors: [] };
    await expect(run(propagateAnchors, { anchors: none, tokens, affinity })).rejects.toThrow(/no anchors/);
    const blank: AnchorsValue = { gridH: 2, gridW: 2, anchors: [{ cell: 1, x: 0.75, y: 0.25, source: 'auto' }] };
    await expect(run(propagateAnchors, { anchors: blank, tokens, affinity })).rejects.toThrow(/anchor 0 \(cell 1\) has no colour/);
    const wrong: AnchorsValue = { gridH: 4, gridW: 4, anchors: [{ cell: 1, x: 0, y: 0, ab: [0, 0], source: 'user' }] };
    await expect(run(propagateAnchors, { anchors: wrong, tokens, affinity })).rejects.toThrow(/4x4 grid but the tokens are 2x2/);
  });

  it('superpixel-overlay draws boundaries in the chosen colour at the image size', async () => {
    const lab = twoRegions(32, 32);
    const affinity = (await run(slicAffinity, { lab })).affinity as AffinityValue;
    const image: ImageValue = { width: 80, height: 60, data: new Uint8ClampedArray(80 * 60 * 4).fill(0) };
    const out = (await run(superpixelOverlay, { image, affinity }, { color: '#00ff80' })).image as ImageValue;
    expect([out.width, out.height]).toEqual([80, 60]);
    let drawn = 0;
    for (let i = 0; i < 80 * 60; i++) {
      const px = Array.from(out.data.slice(4 * i, 4 * i + 4));
      if (px[3] === 0) continue;
      expect(px).toEqual([0, 255, 128, 255]);
      drawn++;
    }
    expect(drawn).toBeGreaterThan(60); // 2x2 superpixels: at least one line across the picture
    expect(drawn).toBeLessThan(80 * 60 / 4);
  });
});
