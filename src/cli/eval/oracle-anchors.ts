/**
 * The `disco eval --oracle-anchors` variant of a workflow: anchor colours come from the ground truth.
 * Added path: Load Image (the original colour photo) -> RGB to Lab -> Resize to Working Size (same
 * size/keepAspect/fullSize as the workflow's own) -> Normalize ab, into every SP-Pool's `ab` input, so the
 * tokens carry the true pooled ab. Every Anchor Colors node switches to mode 'reference-ab' and, if
 * its `tokens` input is free, reads the SP-Pool tokens. Built on the execution graph, then turned
 * back into a workflow.
 */
import type { NodeDefLookup } from '../../runtime/workflow/params.ts';
import { isLinkRef, type ExecNode } from '../../runtime/workflow/exec-format.ts';
import { workflowFromExecGraph } from '../../runtime/workflow/from-exec.ts';
import type { Workflow } from '../../runtime/workflow/schema.ts';
import { toExecGraph } from '../../runtime/workflow/to-exec.ts';

export interface OracleVariant {
  readonly workflow: Workflow;
  /** The Load Image node that takes the gray photo (the colorizer's input). */
  readonly grayImageNode: string;
  /** The added Load Image node that takes the original colour photo. */
  readonly referenceImageNode: string;
}

const NEEDED = ['disco/load-image', 'disco/rgb-to-lab', 'disco/resize-to-working', 'disco/normalize-ab', 'disco/sp-pool', 'disco/anchor-colors'];

const fail = (why: string): never => {
  throw new Error(`--oracle-anchors: ${why}`);
};

export function oracleVariant(wf: Workflow, registry: NodeDefLookup): OracleVariant {
  const missing = NEEDED.filter((t) => !registry.get(t));
  if (missing.length) fail(`needs node types this version does not have: ${missing.join(', ')}`);
  const { graph, missingTypes } = toExecGraph(wf, registry);
  if (missingTypes.length) fail(`the workflow uses node types that are not installed: ${missingTypes.join(', ')}`);
  const ofType = (type: string) => Object.keys(graph).filter((id) => graph[id].type === type);

  const loads = ofType('disco/load-image');
  if (loads.length !== 1) fail(`expected one Load Image node (disco/load-image) for the gray photo, found ${loads.length}`);
  const pools = ofType('disco/sp-pool');
  if (!pools.length) fail('the workflow has no Superpixel Pool node (disco/sp-pool) to receive the true colours');
  const colorNodes = ofType('disco/anchor-colors');
  if (!colorNodes.length) fail('the workflow has no Anchor Colors node (disco/anchor-colors) to switch to mode "reference-ab"');
  const resizes = ofType('disco/resize-to-working');
  if (resizes.length !== 1) fail(`expected one Resize to Working Size node (disco/resize-to-working) to copy, found ${resizes.length}`);
  const { size, keepAspect, fullSize } = graph[resizes[0]].inputs;

  let next = Math.max(0, ...Object.keys(graph).map(Number).filter(Number.isInteger)) + 1;
  const add = (node: ExecNode): string => {
    const id = String(next++);
    edited[id] = node;
    return id;
  };
  const edited: Record<string, ExecNode> = { ...graph };
  const reference = add({ type: 'disco/load-image', inputs: { image: '' }, title: 'Load Image (ground truth)' });
  const lab = add({ type: 'disco/rgb-to-lab', inputs: { image: [reference, 0] } });
  const working = add({ type: 'disco/resize-to-working', inputs: { lab: [lab, 0], size, keepAspect, fullSize } });
  const abN = add({ type: 'disco/normalize-ab', inputs: { lab: [working, 0] } });

  for (const id of pools) edited[id] = { ...graph[id], inputs: { ...graph[id].inputs, ab: [abN, 0] } };
  for (const id of colorNodes) {
    const inputs = { ...graph[id].inputs, mode: 'reference-ab' } as Record<string, unknown>;
    if (!isLinkRef(inputs.tokens)) {
      if (pools.length !== 1) fail(`Anchor Colors node ${id} has no tokens input linked, and there are ${pools.length} SP-Pool nodes to choose from`);
      inputs.tokens = [pools[0], 0];
    }
    edited[id] = { ...graph[id], inputs };
  }
  const out = workflowFromExecGraph(edited, registry);
  return { workflow: { ...out, id: wf.id, extra: wf.extra }, grayImageNode: loads[0], referenceImageNode: reference };
}
