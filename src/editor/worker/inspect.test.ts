import { describe, expect, it } from 'vitest';
import { allNodes } from '../../nodes/index.ts';
import { createCpuBackend } from '../../runtime/backends/cpu/cpu-backend.ts';
import { NodeRegistry } from '../../runtime/engine/registry.ts';
import { cpuTensor } from '../../runtime/values/tensor.ts';
import type { ExecGraph } from '../../runtime/workflow/exec-format.ts';
import { swatchesFor } from '../viewer/swatches.ts';
import { inspect, TOP_K, type LastRun } from './inspect.ts';

const registry = new NodeRegistry(allNodes);
const backend = createCpuBackend();

// A 1x2 token grid: token 0 puts its mass on bins 5 > 7 > the rest, token 1 on bin 300.
const probs = new Float32Array(313 * 2).fill(0.001);
probs[5 * 2 + 0] = 0.6;
probs[7 * 2 + 0] = 0.3;
probs[300 * 2 + 1] = 0.9;
// Association on 16x32 pixels (cell 16): every pixel wholly in its own cell.
const assoc = new Float32Array(9 * 16 * 32).fill(0, 0).fill(1, 4 * 512, 5 * 512);

const graph: ExecGraph = {
  '10': { type: 'disco/color-modeler', inputs: {} },
  '6': { type: 'disco/resize-to-working', inputs: {} },
  '7': { type: 'disco/slic-affinity', inputs: { lab: ['6', 0] } },
  '11': { type: 'disco/anchor-locator', inputs: {} },
} as unknown as ExecGraph;
const last: LastRun = {
  graph,
  values: new Map<string, Record<string, unknown>>([
    ['10', { dist: { probs: cpuTensor([1, 313, 1, 2], probs), cell: 16 } }],
    // A Keep Aspect working image: the photo fills the top 10 of 16 rows.
    ['6', { lab: { lab: cpuTensor([1, 3, 16, 32], new Float32Array(3 * 16 * 32)), content: { width: 32, height: 10 } } }],
    ['7', { affinity: { assoc: cpuTensor([1, 9, 16, 32], assoc), cell: 16, method: 'test' } }],
    ['11', { anchors: { gridH: 1, gridW: 2, anchors: [{ cell: 1, x: 0.75, y: 0.5, source: 'auto', cluster: 0 }], clusters: Int32Array.from([0, 0]) } }],
  ]),
  keys: new Map([['10', 'k10'], ['7', 'k7'], ['11', 'k11']]),
};

describe('worker inspect', () => {
  it('gives the top-10 bins of every token, most probable first, and the viewer reads them per cell', async () => {
    const { result } = await inspect({ kind: 'topBins', nodeId: '10' }, last, backend, registry);
    if (result.kind !== 'topBins' || result.unchanged) throw new Error('expected top bins');
    expect([result.h, result.w, result.k]).toEqual([1, 2, TOP_K]);
    const s0 = swatchesFor(result, 0), s1 = swatchesFor(result, 1);
    expect(s0).toHaveLength(10);
    expect(s0.slice(0, 2).map((s) => s.p)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.3, 6)]);
    expect(s0[0].ab).toEqual([-80, 20]); // bins 0-4 are a = -90, b = 50..90; bin 5 starts a = -80 at b = 20
    expect(s1[0].p).toBeCloseTo(0.9, 6);
    expect(swatchesFor(result, 2)).toEqual([]);
  });

  it('answers unchanged when the caller already holds the value, and gives labels with the association', async () => {
    expect((await inspect({ kind: 'topBins', nodeId: '10', knownKey: 'k10' }, last, backend, registry)).result).toEqual({ kind: 'topBins', key: 'k10', unchanged: true });
    const { result } = await inspect({ kind: 'affinity', nodeId: '7' }, last, backend, registry);
    if (result.kind !== 'affinity' || result.unchanged) throw new Error('expected affinity');
    expect([result.H, result.W, result.cell]).toEqual([16, 32, 16]);
    expect([result.labels[0], result.labels[31], result.labels[16 * 32 - 1]]).toEqual([0, 1, 1]);
    expect(result.assoc).toHaveLength(9 * 16 * 32);
    expect(result.content).toEqual({ width: 32, height: 10 });
  });

  it('copies an ANCHORS value and says why it cannot answer', async () => {
    const { result } = await inspect({ kind: 'anchors', nodeId: '11' }, last, backend, registry);
    expect(result).toMatchObject({ kind: 'anchors', key: 'k11', value: { gridH: 1, gridW: 2, anchors: [{ cell: 1 }] } });
    await expect(inspect({ kind: 'anchors', nodeId: '99' }, last, backend, registry)).rejects.toThrow(/node 99 has no results yet/);
    await expect(inspect({ kind: 'topBins', nodeId: '7' }, last, backend, registry)).rejects.toThrow(/SLIC Affinity\) has no COLOR_DIST output/);
    await expect(inspect({ kind: 'image', nodeId: '7' }, undefined, backend, registry)).rejects.toThrow(/run the graph first/);
  });
});
