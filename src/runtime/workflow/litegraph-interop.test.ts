/**
 * Interop with the real serializer: @comfyorg/litegraph 0.17.2 configures our workflow and writes it
 * back with `asSerialisable()`; that output must load and give the same execution graph.
 * (No node types are registered here, so litegraph keeps each node's saved data as it does for
 * missing types; the editor's own round trip with registered types is tested in src/editor.)
 */
import { LGraph } from '@comfyorg/litegraph';
import { describe, expect, it } from 'vitest';
import { loadWorkflowObject } from './load.ts';
import { toExecGraph } from './to-exec.ts';
import { sampleWorkflow, toyRegistry } from './toy-nodes.fixture.ts';

const registry = toyRegistry();

describe('litegraph interop', () => {
  it('asSerialisable() of a graph configured from our workflow loads to the same exec graph', () => {
    const wf = sampleWorkflow();
    const graph = new LGraph();
    graph.configure(structuredClone(wf) as never);
    const out = JSON.parse(JSON.stringify(graph.asSerialisable()));
    expect(out.version).toBe(1);
    const { workflow, notes } = loadWorkflowObject(out, { registry });
    expect(notes).toEqual([]);
    expect(workflow.links).toEqual(wf.links);
    expect(toExecGraph(workflow, registry).graph).toEqual(toExecGraph(wf, registry).graph);
  });

  it('serialize() (schema 0.4) output loads through the 0.4 migration', () => {
    const graph = new LGraph();
    graph.configure(structuredClone(sampleWorkflow()) as never);
    const old = JSON.parse(JSON.stringify(graph.serialize()));
    expect(Array.isArray(old.links[0])).toBe(true);
    const { workflow, notes } = loadWorkflowObject(old, { registry });
    expect(notes).toEqual(['ComfyUI schema 0.4 -> 1: links converted to objects']);
    expect(toExecGraph(workflow, registry).graph).toEqual(toExecGraph(sampleWorkflow(), registry).graph);
  });
});
