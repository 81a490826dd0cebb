/**
 * Faults with the real nodes (the engine's toy-node tests cover the mechanics): cancelling the
 * user-guided workflow mid-run twice, then running it, gives exactly the uncancelled result; a node
 * that throws keeps the error on that node while an independent branch completes, and the graph runs
 * again once the cause is fixed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeIO } from '../../src/cli/node-host.ts';
import { allNodes } from '../../src/nodes/index.ts';
import { createCpuBackend } from '../../src/runtime/backends/cpu/cpu-backend.ts';
import { Executor, RunCancelledError } from '../../src/runtime/engine/executor.ts';
import { NodeRegistry } from '../../src/runtime/engine/registry.ts';
import type { ImageValue } from '../../src/runtime/values/types.ts';
import type { ExecGraph } from '../../src/runtime/workflow/exec-format.ts';
import { loadWorkflow } from '../../src/runtime/workflow/load.ts';
import { toExecGraph } from '../../src/runtime/workflow/to-exec.ts';
import { REPO } from '../cli/helpers.ts';

const registry = new NodeRegistry(allNodes);
const backend = createCpuBackend();
const io = createNodeIO({ baseDir: join(REPO, 'test/fixtures/bad/images') });

/** workflows/user-guided.json on the corpus' 64x48 gray photo, at working size 64 to keep it quick. */
function userGuided(): ExecGraph {
  const { workflow } = loadWorkflow(readFileSync(join(REPO, 'workflows/user-guided.json'), 'utf8'), { registry });
  const { graph } = toExecGraph(workflow, registry);
  const g = structuredClone(graph) as Record<string, { type: string; inputs: Record<string, unknown> }>;
  for (const n of Object.values(g)) {
    if (n.type === 'disco/load-image') n.inputs.image = 'gray.png';
    if (n.type === 'disco/resize-to-working') n.inputs.size = 64;
  }
  return g as ExecGraph;
}

const saved = (r: { outputs: Record<string, Record<string, unknown>> }, id: string) => r.outputs[id]?.image as ImageValue;

describe('faults with real nodes', () => {
  it('cancel mid-run, twice in a row, then run: the result equals an uncancelled run', async () => {
    const graph = userGuided();
    const saveId = Object.keys(graph).find((id) => graph[id].type === 'disco/save-image')!;
    const expected = saved(await new Executor({ registry }).run(graph, { backend, io }), saveId);

    const executor = new Executor({ registry });
    // First cancel while SLIC runs, then while propagation runs (after SLIC was cached).
    for (const at of ['disco/slic-affinity', 'disco/propagate-anchors']) {
      const ctl = new AbortController();
      const run = executor.run(graph, {
        backend, io, signal: ctl.signal,
        onEvent: (e) => { if (e.state === 'running' && graph[e.nodeId].type === at) ctl.abort(); },
      });
      const err = await run.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunCancelledError);
      expect((err as Error).message).toMatch(new RegExp(`run cancelled at node \\d+ "[^"]+" \\(${at}\\)`));
    }
    const after = await executor.run(graph, { backend, io });
    expect(after.ok).toBe(true);
    expect(after.cached.length).toBeGreaterThan(0); // the work finished before the cancels is reused
    const got = saved(after, saveId);
    expect([got.width, got.height]).toEqual([64, 48]);
    expect(Buffer.from(got.data).equals(Buffer.from(expected.data))).toBe(true);
  });

  it('a node that throws keeps the error on itself; an independent branch completes; fixed, it runs', async () => {
    const graph: Record<string, { type: string; inputs: Record<string, unknown> }> = {
      1: { type: 'disco/load-image', inputs: { image: 'no-such-photo.png' } },
      2: { type: 'disco/save-image', inputs: { image: ['1', 0], filename_prefix: 'a' } },
      3: { type: 'disco/load-image', inputs: { image: 'gray.png' } },
      4: { type: 'disco/rgb-to-lab', inputs: { image: ['3', 0] } },
      5: { type: 'disco/lab-to-rgb', inputs: { lab: ['4', 0] } },
      6: { type: 'disco/save-image', inputs: { image: ['5', 0], filename_prefix: 'b' } },
    };
    const executor = new Executor({ registry });
    const r = await executor.run(graph, { backend, io });
    expect(r.errors).toEqual([{ nodeId: '1', message: expect.stringMatching(/^node 1 \(disco\/load-image\): no-such-photo\.png: cannot read the image file \(ENOENT\)$/) }]);
    expect(r.skipped).toEqual([{ nodeId: '2', reason: 'upstream node 1 (disco/load-image) failed' }]);
    expect([saved(r, '6').width, saved(r, '6').height]).toEqual([64, 48]);

    graph[1].inputs.image = 'gray-16bit.png';
    const again = await executor.run(graph, { backend, io });
    expect(again.ok).toBe(true);
    expect(again.cached).toEqual(expect.arrayContaining(['3', '4', '5', '6']));
    expect([saved(again, '2').width, saved(again, '2').height]).toEqual([64, 48]);
  });
});
