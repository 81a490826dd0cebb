/**
 * One benchmark configuration of our path, in its own process:
 *   node --import tsx bench/ours.ts '<OursJob as JSON>'
 * Runs workflows/disco-auto.json through the executor and nodes: warm-up runs (the first creates the
 * sessions), then timed full runs (a fresh executor each, the one before recycled; sessions reused),
 * anchor-edit reruns and cache hits on one executor (the last full run's). Writes an OursResult (or a SkippedResult) as JSON to job.out.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { executeWorkflow, nodeRegistry } from '../src/cli/execute.ts';
import { useKernelThreads } from '../src/cli/node-host.ts';
import { readWorkflowFile, withInput } from '../src/cli/workflow-file.ts';
import type { Backend } from '../src/runtime/backends/backend.ts';
import { createCpuBackend } from '../src/runtime/backends/cpu/cpu-backend.ts';
import type { ModelHost } from '../src/runtime/engine/context.ts';
import type { NodeEvent } from '../src/runtime/engine/events.ts';
import { Executor } from '../src/runtime/engine/executor.ts';
import { fsModelSource } from '../src/runtime/onnx/fs-model-source.ts';
import { OnnxModelHost } from '../src/runtime/onnx/model-host.ts';
import type { OrtGateway } from '../src/runtime/onnx/ort-gateway.ts';
import { setParam } from '../src/runtime/workflow/build.ts';
import type { Workflow } from '../src/runtime/workflow/schema.ts';
import type { OursJob, OursResult, SkippedResult } from './jobs.ts';
import { medianRun } from './stats.ts';

const WORKFLOW = fileURLToPath(new URL('../workflows/disco-auto.json', import.meta.url));

interface Setup {
  backend: Backend;
  gateway: OrtGateway;
  close(): void;
}

async function setup(job: OursJob): Promise<Setup | SkippedResult> {
  if (job.runtime === 'cpu') {
    const { createNodeGateway } = await import('../src/runtime/onnx/ort-node.ts');
    useKernelThreads(job.threads); // as the CLI's CPU backend does
    return { backend: createCpuBackend(), gateway: createNodeGateway({ threads: job.threads }), close() {} };
  }
  if (job.runtime === 'wasm') {
    const { createWebGateway } = await import('../src/runtime/onnx/ort-web.ts');
    // ORT-web's own default is half the cores; the browser fallback gets all of them when cross-origin isolated.
    return { backend: createCpuBackend(), gateway: await createWebGateway({ prefer: 'wasm', threads: job.threads ?? availableParallelism() }), close() {} };
  }
  // WebGPU: the WGSL kernels for the parameter-free stages; the networks on onnxruntime-node.
  const { requestNodeDevice } = await import('../src/runtime/backends/webgpu/node-gpu.ts');
  const { createWebGpuBackend } = await import('../src/runtime/backends/webgpu/webgpu-backend.ts');
  const { createNodeGateway } = await import('../src/runtime/onnx/ort-node.ts');
  let device;
  try {
    device = await requestNodeDevice();
  } catch (e) {
    return { skipped: (e as Error).message };
  }
  if (device.isFallbackAdapter && !process.env.DISCO_BENCH_SOFTWARE_GPU) {
    device.close();
    return { skipped: `the only WebGPU adapter is a software one (${device.adapterDescription}); its timings say nothing about GPU performance` };
  }
  return { backend: createWebGpuBackend(device.device, device.adapterDescription), gateway: createNodeGateway({ threads: job.threads }), close: device.close };
}

function onType(wf: Workflow, type: string, param: string, value: unknown): Workflow {
  const node = wf.nodes.find((n) => n.type === type);
  if (!node) throw new Error(`the benchmark workflow has no ${type} node`);
  return setParam(wf, node.id, param, value, nodeRegistry());
}

async function main(job: OursJob): Promise<OursResult | SkippedResult> {
  const s = await setup(job);
  if ('skipped' in s) return s;
  const file = await readWorkflowFile(WORKFLOW, nodeRegistry());
  let wf = withInput(file.workflow, job.photo, nodeRegistry());
  wf = onType(wf, 'disco/load-model-set', 'set', job.set);
  wf = onType(wf, 'disco/resize-to-working', 'size', job.working.size);
  wf = onType(wf, 'disco/resize-to-working', 'keepAspect', job.working.keepAspect);
  const typeOf = new Map(wf.nodes.map((n) => [String(n.id), n.type.replace(/^disco\//, '')]));
  const models: ModelHost = new OnnxModelHost({ source: fsModelSource(job.modelsDir), gateway: s.gateway, readback: (t) => s.backend.download(t) });

  /** One run: wall time and the ms of each node that executed. */
  const run = async (w: Workflow, executor: Executor) => {
    const stages: Record<string, number> = {};
    const onEvent = (e: NodeEvent) => {
      if (e.state === 'done' && e.ms !== undefined) stages[typeOf.get(e.nodeId)!] = e.ms;
    };
    const t0 = performance.now();
    await executeWorkflow(w, { baseDir: file.baseDir, backend: s.backend, models, executor, onEvent });
    return { ms: performance.now() - t0, stages };
  };
  const fresh = () => new Executor({ registry: nodeRegistry() });
  // Each full run's executor is recycled before the next run, as a batch worker does between photos
  // (Colorizer.colorize): the next run reuses its large arrays instead of fresh memory (array-pool.ts).
  let executor = fresh();
  const runFresh = async () => {
    executor.recycle();
    executor = fresh();
    return run(wf, executor);
  };

  const first = await runFresh();
  for (let i = 1; i < job.warmups; i++) await runFresh();
  const full = [];
  for (let i = 0; i < job.runs; i++) full.push(await runFresh());
  // Anchor edits on the last full run's executor: each adds a different user anchor.
  const edits = [];
  let edited = wf;
  for (let i = 0; i < job.runs; i++) {
    edited = onType(wf, 'disco/user-anchors', 'anchors', [{ x: 0.2 + 0.05 * i, y: 0.5, color: '#c04020' }]);
    edits.push(await run(edited, executor));
  }
  const hits = [];
  for (let i = 0; i < job.runs; i++) hits.push(await run(edited, executor));
  s.close();
  return {
    engine: s.gateway.description + (job.runtime === 'webgpu' ? ' + WebGPU kernels' : ''),
    firstMs: first.ms,
    runsMs: full.map((r) => r.ms),
    runStagesMs: full.map((r) => r.stages),
    stagesMs: full[medianRun(full.map((r) => r.ms))].stages,
    stagesRunMs: full[medianRun(full.map((r) => r.ms))].ms,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    editMs: edits.map((r) => r.ms),
    editStages: Object.keys(edits[edits.length - 1]?.stages ?? {}),
    cacheHitMs: hits.map((r) => r.ms),
  };
}

const job = JSON.parse(process.argv[2] ?? 'null') as OursJob | null;
if (!job) {
  process.stderr.write('usage: node --import tsx bench/ours.ts \'<job JSON>\'\n');
  process.exit(2);
}
main(job).then(
  (result) => {
    writeFileSync(job.out, JSON.stringify(result));
    process.exit(0); // onnxruntime-web keeps worker threads alive
  },
  (e: unknown) => {
    process.stderr.write(`bench/ours.ts: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
