/** CPU reference implementations of SuperpixelOps. */
import type { SuperpixelOps } from '../ops/superpixel-ops.ts';

export const cpuSuperpixelOps: SuperpixelOps = {};
