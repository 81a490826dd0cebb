/**
 * The automatic DISCO workflow (workflows/disco-auto.json) end to end through the executor, with the
 * tiny contract-obeying models in place of the default set: every learned stage runs through the model
 * nodes and the ONNX model host between the real parameter-free stages. Random weights give no
 * meaningful colours, so this checks wiring, shapes and caching, not quality.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { executeWorkflow, nodeRegistry } from '../../src/cli/execute.ts';
import { fsModelSource } from '../../src/runtime/onnx/fs-model-source.ts';
import { OnnxModelHost } from '../../src/runtime/onnx/model-host.ts';
import { createNodeGateway } from '../../src/runtime/onnx/ort-node.ts';
import type { ImageValue } from '../../src/runtime/values/types.ts';
import { loadWorkflow, setParam } from '../../src/runtime/workflow/index.ts';
import { tinyModelsDir } from '../helpers/tiny-models.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

let host: OnnxModelHost;
beforeAll(async () => {
  host = new OnnxModelHost({ source: fsModelSource(await tinyModelsDir()), gateway: createNodeGateway() });
});

describe('disco-auto.json with the tiny model set', () => {
  it('runs every stage to the recombined photo, then hits the cache', async () => {
    const registry = nodeRegistry();
    let wf = loadWorkflow(readFileSync(join(REPO, 'workflows/disco-auto.json'), 'utf8'), { registry }).workflow;
    const loader = wf.nodes.find((n) => n.type === 'disco/load-model-set')!;
    wf = setParam(wf, loader.id, 'set', 'tiny', registry);
    const target = String(wf.nodes.find((n) => n.type === 'disco/recombine')!.id);

    const first = await executeWorkflow(wf, { baseDir: join(REPO, 'workflows'), models: host, targets: [target] });
    const image = first.result.outputs[target].image as ImageValue;
    expect([image.width, image.height]).toEqual([451, 300]);
    const ran = new Set(first.result.executed.map((id) => first.graph[id].type));
    for (const t of ['disco/load-model-set', 'disco/spixelnet', 'disco/feature-extractor', 'disco/color-modeler', 'disco/color-generator', 'disco/refine']) {
      expect(ran.has(t), t).toBe(true);
    }
    expect(host.sessionsCreated).toBe(5);

    const again = await executeWorkflow(wf, { baseDir: join(REPO, 'workflows'), models: host, targets: [target], executor: first.executor });
    expect(again.result.executed).toEqual([]);
    expect(host.sessionsCreated).toBe(5);
  }, 120_000);
});
