/** The superpixels node definitions, in menu order. */
import type { NodeDef } from '../../runtime/engine/node-def.ts';
import { labTokens } from './lab-tokens.ts';
import { propagateAnchors } from './propagate-anchors.ts';
import { slicAffinity } from './slic-affinity.ts';
import { spDiffuse } from './sp-diffuse.ts';
import { spPool } from './sp-pool.ts';
import { superpixelOverlay } from './superpixel-overlay.ts';

export const superpixelsNodes: NodeDef[] = [spPool, spDiffuse, slicAffinity, labTokens, propagateAnchors, superpixelOverlay];
