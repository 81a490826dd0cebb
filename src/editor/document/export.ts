/** Export: the result (or the viewed image) as a PNG with the workflow and its exec graph embedded. */
import type { GraphCanvas } from '../graph/graph-canvas.ts';
import { canvasToExec } from '../graph/canvas-to-exec.ts';
import { graphToWorkflow } from '../graph/workflow-io.ts';
import { toast } from '../panels/toast.ts';
import { download, pngWithWorkflow } from '../storage/png-export.ts';
import type { EngineClient } from '../worker/engine-client.ts';
import type { NodeRegistry } from '../../runtime/engine/registry.ts';

export interface ExportHost {
  readonly view: GraphCanvas;
  readonly registry: NodeRegistry;
  readonly engine: EngineClient;
  /** The node whose image is exported: the result, else the one on view. */
  exportedNode(): string | undefined;
}

export async function exportResultPng(ed: ExportHost): Promise<void> {
  const nodeId = ed.exportedNode();
  if (!nodeId) return toast('Run a workflow with a result first.', 'error');
  try {
    const r = await ed.engine.inspect({ kind: 'image', nodeId });
    if (r.kind !== 'image' || r.unchanged) return;
    const blob = await pngWithWorkflow(r.bitmap, graphToWorkflow(ed.view.graph, ed.registry), canvasToExec(ed.view.graph, ed.registry).graph);
    download(blob, 'disco-result.png');
  } catch (e) {
    toast(`Export failed: ${(e as Error).message}`, 'error');
  }
}
