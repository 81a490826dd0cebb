/**
 * What a drop on the graph canvas does: a palette item adds its node; a workflow .json opens; a PNG
 * with a workflow in it opens that workflow; any other picture is a photo and goes into the Load
 * Image node (a node with an image-file parameter) under the cursor, else the graph's first one,
 * else a new one.
 */
import type { LGraphNode } from '@comfyorg/litegraph';
import { isDiscoNode, type DiscoNode } from '../graph/def-to-litegraph.ts';
import type { GraphCanvas } from '../graph/graph-canvas.ts';
import { NODE_DRAG_TYPE } from '../panels/palette.ts';
import { toast } from '../panels/toast.ts';
import { workflowInPng } from '../storage/png-export.ts';
import type { NodeDef } from '../../runtime/engine/node-def.ts';
import type { NodeRegistry } from '../../runtime/engine/registry.ts';
import { imageParam } from '../../runtime/engine/roles.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';

export interface DropTargets {
  readonly view: GraphCanvas;
  readonly registry: NodeRegistry;
  readonly defs: readonly NodeDef[];
  addNode(type: string, pos?: [number, number]): LGraphNode;
  openText(text: string): void;
  /** `fromPng`: the result PNG the workflow came from (the input when its photo is not stored here). */
  openWorkflow(workflow: Workflow, message: string, notes: readonly string[], fromPng?: File): Promise<void> | void;
  setPhoto(node: DiscoNode, file: File): Promise<void>;
}

export function installDrops(canvas: HTMLCanvasElement, ed: DropTargets): void {
  canvas.addEventListener('dragover', (e) => e.preventDefault());
  canvas.addEventListener('drop', (e) => void onDrop(e, ed));
}

async function onDrop(e: DragEvent, ed: DropTargets): Promise<void> {
  e.preventDefault();
  const dt = e.dataTransfer;
  if (!dt) return;
  const pos = ed.view.toGraphPos(e);
  const type = dt.getData(NODE_DRAG_TYPE);
  if (type) {
    ed.addNode(type, pos);
    return;
  }
  const file = dt.files[0];
  if (!file) return;
  if (file.type === 'application/json' || file.name.endsWith('.json')) return ed.openText(await file.text());
  let workflowError: Error | undefined;
  try {
    const embedded = await workflowInPng(file, ed.registry);
    if (embedded) return await ed.openWorkflow(embedded.workflow, `Workflow opened from ${file.name}`, embedded.notes, file);
  } catch (err) {
    workflowError = err as Error;
  }
  // A picture that decodes has a broken workflow in it; one that does not is a damaged file (below).
  if (workflowError && await decodes(file)) return toast(`${file.name} carries a workflow that cannot be opened: ${workflowError.message}`, 'error', 8000);
  if (!file.type.startsWith('image/')) return toast(`Cannot open ${file.name}: drop a workflow .json or a photo.`, 'error');
  const loads = (n: LGraphNode | null | undefined): n is DiscoNode => isDiscoNode(n) && imageParam(n.def) !== undefined;
  let target: LGraphNode | null | undefined = ed.view.nodeAt(e);
  if (!loads(target)) target = ed.view.graph._nodes.find(loads);
  if (!loads(target)) {
    const loader = ed.defs.find((d) => imageParam(d) !== undefined);
    if (!loader) return toast('No node type loads photos yet.', 'error');
    target = ed.view.addNode(loader.id, pos);
  }
  await ed.setPhoto(target as DiscoNode, file);
}

async function decodes(file: Blob): Promise<boolean> {
  try {
    (await createImageBitmap(file)).close();
    return true;
  } catch {
    return false;
  }
}
