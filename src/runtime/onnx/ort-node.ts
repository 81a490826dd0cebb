/**
 * ONNX Runtime for Node (the CLI and tests): onnxruntime-node on the CPU, all graph optimisations,
 * one intra-op thread per core, no spin-waiting. One of the two files that import onnxruntime (see ort-gateway.ts).
 */
import * as ort from 'onnxruntime-node';
import { availableParallelism } from 'node:os';
import { arrayPool } from '../values/array-pool.ts';
import type { CpuTensor, Tensor } from '../values/tensor.ts';
import { shapesFromMetadata, toCpuTensor, type OrtGateway, type OrtSession } from './ort-gateway.ts';

export interface NodeGatewayOptions {
  /** Intra-op threads (default: the number of cores). */
  readonly threads?: number;
}

export function createNodeGateway(opts: NodeGatewayOptions = {}): OrtGateway {
  const threads = opts.threads ?? availableParallelism();
  return {
    description: `onnxruntime-node (cpu, ${threads} threads)`,
    acceptsGpuTensors: false,
    async createSession(bytes, label) {
      let session: ort.InferenceSession;
      try {
        session = await ort.InferenceSession.create(bytes, {
          executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: threads,
          // Each session has its own thread pool, and by default its idle threads spin: with the five
          // stages' sessions alive, the spinning pools take the cores from the one that runs (measured
          // with bench/: the backbone and refiner ran 3x slower at 256x256 on 2 cores).
          extra: { session: { intra_op: { allow_spinning: '0' } } },
        });
      } catch (e) {
        throw new Error(`${label}: onnxruntime could not load the model: ${(e as Error).message}`);
      }
      return wrap(session, label);
    },
  };
}

function wrap(session: ort.InferenceSession, label: string): OrtSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    shapes: { ...shapesFromMetadata(session.inputMetadata), ...shapesFromMetadata(session.outputMetadata) },
    async run(feeds: Record<string, Tensor>) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) {
        if (t.location !== 'cpu') throw new Error(`${label}: input "${name}" is on the GPU; onnxruntime-node here takes CPU tensors`);
        ortFeeds[name] = new ort.Tensor(t.dtype, t.data, t.shape);
      }
      const out = await session.run(ortFeeds);
      const result: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(out)) result[name] = intoPool(await toCpuTensor(t, name));
      return result;
    },
    release: () => session.release(),
  };
}

/**
 * A large output copied into a pooled array, once this process gives arrays back (array-pool.ts).
 * onnxruntime-node's outputs are ArrayBuffers over ORT's own memory, freed only when V8 collects
 * them: kept as node outputs for a whole photo, they wait for a major GC, and meanwhile each new
 * photo's backbone features (16.8 MB) went to fresh pages. Copied (0.7 ms for those), ORT's
 * buffer is garbage while still young and goes at a minor GC; measured in batch workers, the
 * backbone's fresh-page stalls then stop after a worker's first few photos. (A pre-allocated output,
 * `session.run(feeds, fetches)`, does not avoid it: onnxruntime-node 1.30 returns a new copy of it.)
 */
function intoPool(t: CpuTensor): CpuTensor {
  if (!arrayPool.reusing || !(t.data instanceof Float32Array) || t.data.byteLength < arrayPool.minBytes) return t;
  const data = arrayPool.take(t.data.length);
  data.set(t.data);
  return { ...t, data };
}
