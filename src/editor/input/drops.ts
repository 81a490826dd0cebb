/**
 * What a drop on the graph canvas does: a palette item adds its node; a workflow .json opens; a PNG
 * with a workflow in it opens that workflow; any other picture is a photo and goes into the loader
 * (a node with an image-file parameter) under the cursor, else the graph's photo loader (role
 * 'photo'; never the reference loader), else a new Load Image. When the graph also has a reference
 * loader (role 'reference'), dragging a file shows the canvas split "Photo | Reference" and the half
 * the picture is dropped on decides (drop-split.ts).
 */
import type { LGraphNode } from '@comfyorg/litegraph';
import { isDiscoNode, type DiscoNode } from '../graph/def-to-litegraph.ts';
import { DropSplit, type DropZone } from './drop-split.ts';
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
  /** A drop's handling, from the event until its file is opened or in its node (a Run waits for it). */
  dropped(load: Promise<void>): void;
}

const loads = (n: LGraphNode | null | undefined): n is DiscoNode => isDiscoNode(n) && imageParam(n.def) !== undefined;

/** The graph's photo and reference loaders, when it has both. */
function loaders(ed: DropTargets): Record<DropZone, DiscoNode> | undefined {
  const nodes = ed.view.graph._nodes.filter(loads);
  const reference = nodes.find((n) => n.def.role === 'reference');
  const photo = nodes.find((n) => n.def.role === 'photo') ?? nodes.find((n) => n !== reference);
  return photo && reference ? { photo, reference } : undefined;
}

/** Where a picture dropped here goes when the graph has both loaders: the loader under the cursor, else the half's. */
function splitTarget(e: DragEvent, canvas: HTMLElement, ed: DropTargets, split: DropSplit, both: Record<DropZone, DiscoNode>): DropZone {
  const under = ed.view.nodeAt(e);
  if (under === both.reference) return 'reference';
  if (under === both.photo) return 'photo';
  return split.zoneAt(e, canvas);
}

export function installDrops(canvas: HTMLCanvasElement, ed: DropTargets): void {
  const split = new DropSplit(canvas.parentElement ?? document.body);
  canvas.addEventListener('dragover', (e) => {
    e.preventDefault();
    const both = e.dataTransfer?.types.includes('Files') ? loaders(ed) : undefined;
    if (both) split.show(both, splitTarget(e, canvas, ed, split, both));
    else split.hide();
  });
  canvas.addEventListener('dragleave', () => split.hide());
  canvas.addEventListener('drop', (e) => {
    const both = split.visible ? loaders(ed) : undefined;
    const zone = both && splitTarget(e, canvas, ed, split, both);
    split.hide();
    ed.dropped(onDrop(e, ed, zone && both[zone]));
  });
}

/** `into`: the loader the split overlay chose for a picture. */
async function onDrop(e: DragEvent, ed: DropTargets, into?: DiscoNode): Promise<void> {
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
  let target: LGraphNode | null | undefined = into ?? ed.view.nodeAt(e);
  if (!loads(target)) target = ed.view.graph._nodes.find((n) => loads(n) && n.def.role === 'photo') ?? ed.view.graph._nodes.find((n) => loads(n) && n.def.role !== 'reference');
  if (!loads(target)) {
    const loader = ed.defs.find((d) => d.role === 'photo' && imageParam(d) !== undefined) ?? ed.defs.find((d) => d.role !== 'reference' && imageParam(d) !== undefined);
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
