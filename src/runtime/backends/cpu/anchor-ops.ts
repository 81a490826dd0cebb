/** CPU reference implementations of AnchorOps. */
import type { AnchorOps } from '../ops/anchor-ops.ts';

export const cpuAnchorOps: AnchorOps = {};
