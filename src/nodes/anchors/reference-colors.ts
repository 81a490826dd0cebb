/**
 * Reference Colors (docs/disco-method.md §17): anchors take their colours from a colour reference photo
 * that went through the same stages as the photo (Spixelnet, backbone, SP-Pool with its own ab, Color
 * Modeler). Each anchor takes the pooled colour of the reference superpixel whose colour feature is
 * nearest, if the match's confidence reaches the threshold; otherwise Anchor Colors gives it the
 * model's colour as before. User anchors with a colour are left alone.
 * Distance: cosine by default. On the held-out photos it picks colours as well as Euclidean and its
 * confidence is as useful, and it ignores the features' overall scale (a reference of another
 * exposure); the measurements are in docs/disco-method.md §17. Threshold 0.15: chosen on 18 of them.
 */
import { matchReference, tokenBox } from '../../runtime/anchors/reference-match.ts';
import { nearestBin } from '../../runtime/backends/cpu/ab-bins.ts';
import { AB_SCALE } from '../../runtime/backends/common/ab-bins.ts';
import { choice, defineNode, float } from '../../runtime/engine/node-def.ts';
import type { Anchor, AnchorsValue } from '../../runtime/values/types.ts';
import { ANCHORS, GRAY, TOKENS } from '../../runtime/values/value-types.ts';

const ID = 'disco/reference-colors';

export const referenceColors = defineNode({
  id: ID,
  version: 1,
  displayName: 'Reference Colors',
  category: 'DISCO/anchors',
  description: 'Colours each anchor from a reference photo: the colour of the reference superpixel with the nearest colour feature, when the match is confident enough. User-coloured anchors keep theirs.',
  inputs: {
    anchors: { type: ANCHORS, description: 'The anchors (Merge Anchors), before Anchor Colors.' },
    features: { type: TOKENS, description: "The photo's colour features Fc (its Color Modeler)." },
    reference: { type: TOKENS, description: "The reference's colour features (its Color Modeler), with its pooled ab (its SP-Pool got the reference's Normalize ab)." },
    reference_gray: { type: GRAY, optional: true, description: "The reference's working-size L, for its content frame (where each matched superpixel lies in the reference photo)." },
  },
  params: {
    threshold: float({ default: 0.15, min: 0, max: 1, step: 0.01, description: 'Matches less confident than this keep the model\'s colour (0 takes every match).' }),
    distance: choice({
      default: 'cosine', options: ['cosine', 'l2'],
      description: "'cosine': 1 - cosine similarity of the colour features; 'l2': Euclidean distance (what k-means uses).",
    }),
  },
  outputs: {
    anchors: { type: ANCHORS, description: "The anchors; those coloured from the reference have source 'reference' and the match." },
  },
  async execute(ctx, inputs, params) {
    const { anchors } = inputs;
    const photo = inputs.features, ref = inputs.reference;
    if (!ref.pooledAb) throw new Error(`${ID}: the reference tokens carry no colour: connect the reference's Normalize ab to its SP-Pool's ab input`);
    const [, , h, w] = photo.tokens.shape;
    if (anchors.gridH !== h || anchors.gridW !== w) {
      throw new Error(`${ID}: the anchors are on a ${anchors.gridH}x${anchors.gridW} grid but the photo's features are ${h}x${w}`);
    }
    const [, , rh, rw] = ref.tokens.shape;
    const content = inputs.reference_gray?.content ?? { width: rw * ref.cell, height: rh * ref.cell };
    // A readback on WebGPU: the anchor list is a CPU value, and the features are small (64 x h x w).
    const [pf, rf, rab] = await Promise.all([photo.tokens, ref.tokens, ref.pooledAb].map((t) => ctx.backend.download(t)));
    const abUnscaled = { ...rab, data: rab.data.map((v) => Math.fround(v * AB_SCALE)) };
    const todo = anchors.anchors.filter((a) => !(a.source === 'user' && a.ab));
    const matches = matchReference(pf, todo.map((a) => a.cell), rf, abUnscaled, params.distance);
    const byAnchor = new Map(todo.map((a, i) => [a, matches[i]]));
    const n = rh * rw;
    const out = anchors.anchors.map((a): Anchor => {
      const m = byAnchor.get(a);
      if (!m) return a;
      const applied = m.confidence >= params.threshold;
      const reference = { token: m.token, gridH: rh, gridW: rw, confidence: m.confidence, applied, box: tokenBox(m.token, rw, ref.cell, content) };
      if (!applied) return { ...a, reference };
      const ab = [abUnscaled.data[m.token], abUnscaled.data[n + m.token]] as const;
      // A user anchor stays the user's (to move or delete); an automatic one says where its colour came from.
      return { ...a, source: a.source === 'user' ? 'user' : 'reference', ab, bin: nearestBin(ab[0], ab[1]), reference };
    });
    const value: AnchorsValue = { ...anchors, anchors: out };
    return { anchors: value };
  },
});
