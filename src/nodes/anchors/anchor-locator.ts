/**
 * Anchor Locator (docs/disco-method.md §9): k-means over the colour features, then per cluster the member with the
 * largest superpixel. Locked anchors (e.g. the user's, from an earlier run) are kept as they are and
 * replace the automatic anchor of the cluster they fall in; a cluster holding two locked anchors
 * keeps both.
 */
import { choice, defineNode, int } from '../../runtime/engine/node-def.ts';
import { cellCentre, checkAnchorGrid, photoFit } from '../../runtime/values/anchors.ts';
import type { Anchor, AnchorsValue } from '../../runtime/values/types.ts';
import { AFFINITY, ANCHORS, TOKENS } from '../../runtime/values/value-types.ts';

const ID = 'disco/anchor-locator';

export const anchorLocator = defineNode({
  id: ID,
  version: 1,
  displayName: 'Anchor Locator',
  category: 'DISCO/anchors',
  description: 'Clusters the colour features with k-means and puts one anchor per cluster on its largest superpixel.',
  role: 'auto-anchors',
  inputs: {
    features: { type: TOKENS, description: 'Colour features Fc [1,64,h,w] from the Color Modeler.' },
    affinity: { type: AFFINITY, description: 'The association map, for the superpixel sizes.' },
    locked: { type: ANCHORS, optional: true, description: 'Anchors to keep; each replaces the automatic anchor of its cluster.' },
  },
  params: {
    k: int({ default: 8, min: 3, max: 14, description: 'Number of anchors (k-means clusters).' }),
    seed: int({ default: 1, min: 0, max: 0xffffffff, description: 'numpy seed set before every run (the web demo uses 1, the official script 130).' }),
    init: choice({
      default: 'reference', options: ['reference', 'kmeans++'],
      description: "'reference': numpy choice of k tokens, as the official code; 'kmeans++': D²-weighted seeding.",
    }),
    maxIterations: int({ default: 20, min: 1, max: 100, description: 'Lloyd iterations at most (reference: 20).' }),
  },
  outputs: {
    anchors: { type: ANCHORS, description: 'One automatic anchor per cluster, plus the per-token cluster labels.' },
  },
  async execute(ctx, inputs, params) {
    const features = inputs.features;
    const affinity = inputs.affinity;
    const { tokens } = features;
    if (tokens.shape.length !== 4 || tokens.shape[0] !== 1) {
      throw new Error(`${ID}: features must be [1,C,h,w], got [${tokens.shape.join('x')}]`);
    }
    const [gridH, gridW] = [tokens.shape[2], tokens.shape[3]];
    const k = params.k;
    if (k > gridH * gridW) throw new Error(`${ID}: k = ${k} is more than the ${gridH * gridW} superpixels`);

    const sizes = await ctx.backend.spSizes(affinity.assoc, affinity.cell);
    try {
      if (sizes.shape[2] !== gridH || sizes.shape[3] !== gridW) {
        throw new Error(`${ID}: the affinity gives a ${sizes.shape[2]}x${sizes.shape[3]} superpixel grid but the features are ${gridH}x${gridW}`);
      }
      const loc = await ctx.backend.locateAnchors(tokens, sizes, {
        k, seed: params.seed, init: params.init, maxIterations: params.maxIterations,
      });
      // Positions on the photo: with Keep Aspect the grid also covers the padding.
      const fit = photoFit(affinity.content, affinity.assoc.shape[2], affinity.assoc.shape[3]);
      let anchors: Anchor[] = Array.from(loc.cells, (cell, cluster) => ({ cell, ...cellCentre(cell, gridH, gridW, fit), source: 'auto', cluster }));
      const locked = inputs.locked;
      if (locked) {
        checkAnchorGrid(locked, gridH, gridW, `${ID}: the locked anchors`);
        const kept = locked.anchors.map((a): Anchor => {
          if (!(Number.isInteger(a.cell) && a.cell >= 0 && a.cell < gridH * gridW)) {
            throw new Error(`${ID}: a locked anchor has cell ${a.cell}, outside the ${gridH}x${gridW} grid`);
          }
          return { ...a, locked: true, cluster: loc.labels[a.cell] };
        });
        const taken = new Set(kept.map((a) => a.cluster));
        anchors = [...anchors.filter((a) => !taken.has(a.cluster)), ...kept];
      }
      const value: AnchorsValue = { gridH, gridW, anchors, clusters: loc.labels };
      return { anchors: value };
    } finally {
      ctx.backend.release(sizes);
    }
  },
});
