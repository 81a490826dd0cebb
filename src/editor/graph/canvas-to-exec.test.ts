import { readFileSync } from 'node:fs';
import { LGraph } from '@comfyorg/litegraph';
import { describe, expect, it } from 'vitest';
import { allNodes } from '../../nodes/index.ts';
import { NodeRegistry } from '../../runtime/engine/registry.ts';
import { loadWorkflow, toExecGraph } from '../../runtime/workflow/index.ts';
import { canvasToExec } from './canvas-to-exec.ts';
import { isDiscoNode, MODE, registerNodeDefs } from './def-to-litegraph.ts';
import { StatusBoard } from './node-status.ts';
import { graphToWorkflow, loadIntoGraph } from './workflow-io.ts';

const registry = new NodeRegistry(allNodes);
const noop = () => undefined;
registerNodeDefs(allNodes, { status: new StatusBoard(), paramChanged: noop, runTo: noop, view: noop, pickImage: noop, editJson: noop });
const text = (file: string) => readFileSync(new URL(`../../../workflows/${file}`, import.meta.url), 'utf8');

describe('canvasToExec', () => {
  it('gives the exec graph the saved file gives, for every example workflow', () => {
    for (const file of ['disco-auto.json', 'user-guided.json']) {
      const graph = new LGraph();
      loadIntoGraph(graph, text(file), registry);
      const viaFile = toExecGraph(graphToWorkflow(graph, registry), registry);
      expect(canvasToExec(graph, registry), file).toEqual(viaFile);
      expect(Object.keys(viaFile.graph).length, file).toBe(graph._nodes.length);
    }
  });

  it('reads the canvas as it is now: a param write, a bypass, a removed link', () => {
    const graph = new LGraph();
    loadIntoGraph(graph, text('user-guided.json'), registry);
    const user = graph._nodes.find((n) => n.type === 'disco/user-anchors')!;
    const list = [{ x: 0.5, y: 0.5, ab: [-30, 20] }];
    if (isDiscoNode(user)) user.setParam('anchors', list);
    user.mode = MODE.bypass;
    const linked = graph._nodes.find((n) => n.inputs?.some((s) => s.link !== null))!;
    const slot = linked.inputs.findIndex((s) => s.link !== null);
    linked.disconnectInput(slot);
    const { graph: exec } = canvasToExec(graph, registry);
    expect(exec[String(user.id)].inputs.anchors).toEqual(list);
    expect(exec[String(user.id)].mode).toBe('bypass');
    expect(exec[String(linked.id)].inputs[linked.inputs[slot].name]).toBeUndefined();
    expect(canvasToExec(graph, registry)).toEqual(toExecGraph(loadWorkflow(JSON.stringify(graphToWorkflow(graph, registry)), { registry }).workflow, registry));
  });
});
