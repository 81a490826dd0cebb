/** The preview node definitions, in menu order. */
import type { NodeDef } from '../../runtime/engine/node-def.ts';

export const previewNodes: NodeDef[] = [];
