/** The models node definitions, in menu order. */
import type { NodeDef } from '../../runtime/engine/node-def.ts';
import { colorGenerator } from './color-generator.ts';
import { colorModeler } from './color-modeler.ts';
import { featureExtractor } from './feature-extractor.ts';
import { loadModelSet } from './load-model-set.ts';
import { refine } from './refine.ts';
import { spixelnet } from './spixelnet.ts';

export const modelsNodes: NodeDef[] = [loadModelSet, spixelnet, featureExtractor, colorModeler, colorGenerator, refine];
