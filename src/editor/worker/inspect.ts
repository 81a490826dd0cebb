/**
 * Answers the viewer's questions about the last run's values, in the worker where they live (GPU
 * tensors included): a node's image at full size, an association map's hard labels (plus the map
 * itself, for the 9-way numbers and the brush, and where the picture sits in it), an ANCHORS value, and the top-10 colour bins of a
 * COLOR_DIST. Answers carry the value's cache key; a caller that already holds that key gets
 * `unchanged` instead of the data again.
 */
import type { Backend } from '../../runtime/backends/backend.ts';
import type { Values } from '../../runtime/engine/node-def.ts';
import type { NodeRegistry } from '../../runtime/engine/registry.ts';
import type { AffinityValue, AnchorsValue, ColorDistValue, Frame } from '../../runtime/values/types.ts';
import { nodeOf, type ExecGraph } from '../../runtime/workflow/exec-format.ts';
import { firstOutput, inputsOf, previewImage } from './node-values.ts';
import type { InspectQuery, InspectResult } from './protocol.ts';
import { imageDataOf } from './run-images.ts';

export interface LastRun {
  readonly graph: ExecGraph;
  readonly values: ReadonlyMap<string, Values>;
  readonly keys: ReadonlyMap<string, string>;
}

export const TOP_K = 10;

export async function inspect(q: InspectQuery, last: LastRun | undefined, backend: Backend, registry: NodeRegistry): Promise<{ result: InspectResult; transfer: Transferable[] }> {
  const node = last && nodeOf(last.graph, q.nodeId);
  const outputs = last?.values.get(q.nodeId);
  if (!last || !node || !outputs) throw new Error(`node ${q.nodeId} has no results yet: run the graph first`);
  const def = registry.get(node.type);
  if (!def) throw new Error(`node ${q.nodeId} has the unknown type ${node.type}`);
  const key = last.keys.get(q.nodeId) ?? '';
  const what = `node ${q.nodeId} (${def.displayName})`;
  if ('knownKey' in q && q.knownKey === key && key) return { result: { kind: q.kind, key, unchanged: true } as InspectResult, transfer: [] };

  switch (q.kind) {
    case 'image': {
      const img = previewImage(def, inputsOf(last.graph, q.nodeId, def, last.values, registry), outputs);
      if (!img) throw new Error(`${what} has no image to view`);
      const bitmap = await createImageBitmap(imageDataOf(img));
      return { result: { kind: 'image', key, bitmap, width: img.width, height: img.height }, transfer: [bitmap] };
    }
    case 'affinity': {
      const aff = firstOutput(def, outputs, 'AFFINITY') as AffinityValue | undefined;
      if (!aff) throw new Error(`${what} has no AFFINITY output`);
      const [H, W] = [aff.assoc.shape[2], aff.assoc.shape[3]];
      const labelsT = await backend.hardLabels(aff.assoc, aff.cell);
      const labels = Int32Array.from((await backend.download(labelsT)).data);
      backend.release(labelsT);
      const assoc = Float32Array.from((await backend.download(aff.assoc)).data);
      // The un-padded region of the working size: the map's own, else the L (or Lab) the superpixels were made from.
      const seen = Object.values(inputsOf(last.graph, q.nodeId, def, last.values, registry)) as { content?: Frame }[];
      const frame = aff.content ?? seen.find((v) => v?.content)?.content;
      const content = frame && { width: frame.width, height: frame.height };
      return { result: { kind: 'affinity', key, H, W, cell: aff.cell, labels, assoc, ...(content ? { content } : {}) }, transfer: [labels.buffer, assoc.buffer] };
    }
    case 'anchors': {
      const v = firstOutput(def, outputs, 'ANCHORS') as AnchorsValue | undefined;
      if (!v) throw new Error(`${what} has no ANCHORS output`);
      const value: AnchorsValue = { gridH: v.gridH, gridW: v.gridW, anchors: v.anchors.map((a) => ({ ...a })), ...(v.clusters ? { clusters: Int32Array.from(v.clusters) } : {}) };
      return { result: { kind: 'anchors', key, value }, transfer: [] };
    }
    case 'topBins': {
      const dist = firstOutput(def, outputs, 'COLOR_DIST') as ColorDistValue | undefined;
      if (!dist) throw new Error(`${what} has no COLOR_DIST output`);
      const [h, w] = [dist.probs.shape[2], dist.probs.shape[3]];
      const top = await backend.topBins(dist.probs, TOP_K);
      const bins = Int32Array.from((await backend.download(top.bins)).data);
      const probs = Float32Array.from((await backend.download(top.probs)).data);
      backend.release(top.bins);
      backend.release(top.probs);
      return { result: { kind: 'topBins', key, h, w, k: TOP_K, bins, probs }, transfer: [bins.buffer, probs.buffer] };
    }
  }
}
