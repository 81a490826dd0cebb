/**
 * Merge Anchors: the user's anchors on top of automatic ones. A user anchor replaces every automatic
 * anchor in its token (so a doubled automatic anchor, M = 2, becomes one user anchor); the others
 * stay. A token the user suppressed (a `remove` entry) loses its automatic anchors and gets none.
 * User anchors take the cluster label of their token when the automatic side has labels.
 */
import { defineNode } from '../../runtime/engine/node-def.ts';
import { checkAnchorGrid } from '../../runtime/values/anchors.ts';
import type { Anchor, AnchorsValue } from '../../runtime/values/types.ts';
import { ANCHORS } from '../../runtime/values/value-types.ts';

const ID = 'disco/merge-anchors';

export function mergeAnchors(auto: AnchorsValue, user: AnchorsValue): AnchorsValue {
  checkAnchorGrid(user, auto.gridH, auto.gridW, `${ID}: the user anchors`);
  const userCells = new Set([...user.anchors.map((a) => a.cell), ...(user.suppressed ?? [])]);
  const labelled = user.anchors.map((a): Anchor => (auto.clusters ? { ...a, cluster: auto.clusters[a.cell] } : a));
  return {
    gridH: auto.gridH,
    gridW: auto.gridW,
    anchors: [...auto.anchors.filter((a) => !userCells.has(a.cell)), ...labelled],
    ...(auto.clusters ? { clusters: auto.clusters } : {}),
  };
}

export const mergeAnchorsNode = defineNode({
  id: ID,
  version: 1,
  displayName: 'Merge Anchors',
  category: 'DISCO/anchors',
  description: 'Puts user anchors over automatic ones: a user anchor replaces the automatic anchor in its superpixel.',
  inputs: {
    auto: { type: ANCHORS, description: 'Automatic anchors (Anchor Locator).' },
    user: { type: ANCHORS, description: 'User anchors; they win where both share a superpixel.' },
  },
  params: {},
  outputs: {
    anchors: { type: ANCHORS, description: 'The merged list on the same grid.' },
  },
  execute: (_ctx, inputs) => ({ anchors: mergeAnchors(inputs.auto, inputs.user) }),
});
