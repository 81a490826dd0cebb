/** CPU reference implementations of ColorOps. */
import type { ColorOps } from '../ops/color-ops.ts';

export const cpuColorOps: ColorOps = {};
