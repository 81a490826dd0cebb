/** The CLI's model host: model sets from a folder on disk, run by onnxruntime-node on the CPU. */
import type { Backend } from '../runtime/backends/backend.ts';
import type { ModelHost } from '../runtime/engine/context.ts';
import { fsModelSource } from '../runtime/onnx/fs-model-source.ts';
import { OnnxModelHost } from '../runtime/onnx/model-host.ts';

/** `backend` lets onnxruntime-node (CPU only) read WebGPU-resident feeds back when --backend webgpu. */
export async function createFsModelHost(modelsDir?: string, backend?: Backend, threads?: number): Promise<ModelHost> {
  const { createNodeGateway } = await import('../runtime/onnx/ort-node.ts');
  return new OnnxModelHost({
    source: fsModelSource(modelsDir),
    gateway: createNodeGateway({ threads }),
    readback: backend ? (t) => backend.download(t) : undefined,
  });
}
