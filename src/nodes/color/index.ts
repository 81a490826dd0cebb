/** The color node definitions, in menu order. */
import type { NodeDef } from '../../runtime/engine/node-def.ts';
import { anchorColors } from './anchor-colors.ts';
import { grayFromPhoto } from './gray-from-photo.ts';
import { labToGray } from './lab-to-gray.ts';
import { labToRgb } from './lab-to-rgb.ts';
import { normalizeAb } from './normalize-ab.ts';
import { normalizeGray } from './normalize-gray.ts';
import { recombine } from './recombine.ts';
import { resizeImage } from './resize-image.ts';
import { resizeToWorking } from './resize-to-working.ts';
import { rgbToLab } from './rgb-to-lab.ts';

export const colorNodes: NodeDef[] = [
  grayFromPhoto, resizeImage, rgbToLab, resizeToWorking, labToGray, normalizeGray, normalizeAb, anchorColors, recombine, labToRgb,
];
