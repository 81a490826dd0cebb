/**
 * Propagate Anchors: the training-free colouriser. Anchor colours spread over the superpixel graph
 * by feature similarity (a Levin-style Laplacian, see runtime/backends/cpu/propagate.ts), then to the
 * pixels by SP-Diffusion.
 */
import { defineNode, float, int } from '../../runtime/engine/node-def.ts';
import type { ColorSeed } from '../../runtime/backends/ops/superpixel-ops.ts';
import type { AnchorsValue } from '../../runtime/values/types.ts';
import { AFFINITY, ANCHORS, TENSOR, TOKENS } from '../../runtime/values/value-types.ts';

const ID = 'disco/propagate-anchors';

/** The anchors as colour seeds; every anchor needs a colour and a place on the tokens' grid. */
export function anchorSeeds(anchors: AnchorsValue, h: number, w: number): ColorSeed[] {
  if (anchors.gridH !== h || anchors.gridW !== w) {
    throw new Error(`${ID}: the anchors are on a ${anchors.gridH}x${anchors.gridW} grid but the tokens are ${h}x${w}`);
  }
  if (anchors.anchors.length === 0) throw new Error(`${ID}: there are no anchors to take colours from`);
  return anchors.anchors.map((a, i) => {
    if (!a.ab) throw new Error(`${ID}: anchor ${i} (cell ${a.cell}) has no colour yet; give it one (e.g. with an anchor-colour node)`);
    return { cell: a.cell, ab: a.ab };
  });
}

export const propagateAnchors = defineNode({
  id: ID,
  version: 1,
  displayName: 'Propagate Anchors',
  category: 'DISCO/superpixels',
  description: 'Spreads the anchor colours to every superpixel by feature similarity, then to the pixels (no learned model).',
  inputs: {
    anchors: { type: ANCHORS, description: 'Anchors with colours (ab); they keep their colour exactly.' },
    tokens: { type: TOKENS, description: 'Per-superpixel features that decide where colours flow, e.g. Lab Tokens.' },
    affinity: { type: AFFINITY, description: 'The association map the tokens were pooled with.' },
  },
  params: {
    sigma: float({
      default: 10, min: 0.001, max: 1000, step: 0.5,
      description: 'Feature distance scale: neighbours further apart than about sigma barely share colour (Lab units for Lab Tokens).',
    }),
    iterations: int({ default: 200, min: 0, max: 5000, description: 'Jacobi sweeps over the superpixel grid (0 = feature-space guess only).' }),
  },
  outputs: {
    ab: { type: TENSOR, description: 'Normalised ab (ab/110) [1,2,H,W].' },
  },
  async execute(ctx, inputs, params) {
    const { tokens, cell } = inputs.tokens;
    const affinity = inputs.affinity;
    if (cell !== affinity.cell) throw new Error(`${ID}: the tokens were pooled with cell ${cell} but the affinity has cell ${affinity.cell}`);
    const seeds = anchorSeeds(inputs.anchors, tokens.shape[2], tokens.shape[3]);
    const tokenAb = await ctx.backend.propagateSeeds(tokens, seeds, { sigma: params.sigma, iterations: params.iterations });
    try {
      return { ab: await ctx.backend.spDiffuse(tokenAb, affinity.assoc, affinity.cell) };
    } finally {
      ctx.backend.release(tokenAb);
    }
  },
});
