/** The models node definitions, in menu order. */
import type { NodeDef } from '../../runtime/engine/node-def.ts';

export const modelsNodes: NodeDef[] = [];
