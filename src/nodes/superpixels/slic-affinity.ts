/**
 * SLIC Affinity: a training-free association map (soft SLIC, as SSN's differentiable SLIC) that can
 * stand in for SpixelNet. Features and scaling are documented in runtime/backends/cpu/slic.ts.
 */
import { defineNode, float, int } from '../../runtime/engine/node-def.ts';
import type { AffinityValue } from '../../runtime/values/types.ts';
import { AFFINITY, LAB } from '../../runtime/values/value-types.ts';

export const slicAffinity = defineNode({
  id: 'disco/slic-affinity',
  version: 1,
  displayName: 'SLIC Affinity',
  category: 'DISCO/superpixels',
  description: 'Soft SLIC superpixels from the Lab image: a 9-neighbour association map without a learned model.',
  inputs: {
    lab: { type: LAB, description: 'Lab image at the working size (both sides multiples of the cell size).' },
  },
  params: {
    cell: int({ default: 16, min: 4, max: 64, description: 'Superpixel cell size in pixels (DISCO uses 16).' }),
    iterations: int({ default: 5, min: 1, max: 20, description: 'Soft SLIC steps (association, then centre update).' }),
    compactness: float({
      default: 10, min: 0.1, max: 100, step: 0.5,
      description: "SLIC's m: Lab units one cell of distance is worth. Higher gives squarer superpixels.",
    }),
  },
  outputs: {
    affinity: { type: AFFINITY, description: 'Association map [1,9,H,W] (method "slic").' },
  },
  async execute(ctx, inputs, params) {
    const cell = params.cell;
    const assoc = await ctx.backend.slicAffinity(inputs.lab.lab, {
      cell, iterations: params.iterations, compactness: params.compactness,
    });
    const affinity: AffinityValue = { assoc, cell, method: 'slic', content: inputs.lab.content };
    return { affinity };
  },
});
