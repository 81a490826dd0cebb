/**
 * Every node type of Disco Nodes: the one registry list. Each group folder lists its own nodes;
 * one file per node type, named like its id (`disco/sp-pool` ↔ superpixels/sp-pool.ts).
 */
import type { NodeDef } from '../runtime/engine/node-def.ts';
import { ioNodes } from './io/index.ts';
import { colorNodes } from './color/index.ts';
import { superpixelsNodes } from './superpixels/index.ts';
import { anchorsNodes } from './anchors/index.ts';
import { modelsNodes } from './models/index.ts';
import { previewNodes } from './preview/index.ts';

export const allNodes: readonly NodeDef[] = [
  ...ioNodes, ...colorNodes, ...superpixelsNodes, ...anchorsNodes, ...modelsNodes, ...previewNodes,
];
