/** The CLI's model host: model sets from a folder on disk, run by onnxruntime-node on the CPU. */
import type { ModelHost } from '../runtime/engine/context.ts';
import { fsModelSource } from '../runtime/onnx/fs-model-source.ts';
import { OnnxModelHost } from '../runtime/onnx/model-host.ts';

export async function createFsModelHost(modelsDir?: string): Promise<ModelHost> {
  const { createNodeGateway } = await import('../runtime/onnx/ort-node.ts');
  return new OnnxModelHost({ source: fsModelSource(modelsDir), gateway: createNodeGateway() });
}
