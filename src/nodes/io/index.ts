/** The io node definitions, in menu order. */
import type { NodeDef } from '../../runtime/engine/node-def.ts';
import { loadImage } from './load-image.ts';
import { loadReference } from './load-reference.ts';
import { saveImage } from './save-image.ts';

export const ioNodes: NodeDef[] = [loadImage, loadReference, saveImage];
