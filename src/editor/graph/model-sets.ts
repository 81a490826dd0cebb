/** The model sets a graph uses: the `set` parameter of its nodes with the model-set role (Load Model Set). */
import type { LGraph } from '@comfyorg/litegraph';
import type { NodeRegistry } from '../../runtime/engine/registry.ts';
import { roleOf } from '../../runtime/engine/roles.ts';
import { isDiscoNode } from './def-to-litegraph.ts';

export function modelSetsOf(graph: LGraph, registry: NodeRegistry): string[] {
  const sets = new Set<string>();
  for (const n of graph._nodes) {
    if (!isDiscoNode(n) || roleOf(registry, n.type) !== 'model-set') continue;
    const set = n.params().set;
    if (typeof set === 'string' && set.trim()) sets.add(set);
  }
  return [...sets];
}
