/** The anchors node definitions, in menu order. */
import type { NodeDef } from '../../runtime/engine/node-def.ts';
import { anchorLocator } from './anchor-locator.ts';
import { userAnchors } from './user-anchors.ts';
import { mergeAnchorsNode } from './merge-anchors.ts';
import { anchorOverlay } from './anchor-overlay.ts';
import { referenceColors } from './reference-colors.ts';

export const anchorsNodes: NodeDef[] = [anchorLocator, userAnchors, mergeAnchorsNode, referenceColors, anchorOverlay];
