/** The preview node definitions, in menu order. */
import type { NodeDef } from '../../runtime/engine/node-def.ts';
import { colorDistributionView } from './color-distribution-view.ts';
import { previewImage } from './preview-image.ts';

export const previewNodes: NodeDef[] = [previewImage, colorDistributionView];
