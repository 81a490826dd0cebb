/** The CPU backend: TypeScript reference kernels. Used in Node and as the browser's fallback. */
import type { Backend } from '../backend.ts';
import { cpuAnchorOps } from './anchor-ops.ts';
import { cpuColorOps } from './color-ops.ts';
import { cpuSuperpixelOps } from './superpixel-ops.ts';

export function createCpuBackend(): Backend {
  return {
    name: 'cpu',
    description: 'CPU (TypeScript reference kernels)',
    async upload(t) { return t; },
    async download(t) {
      if (t.location !== 'cpu') throw new Error('the CPU backend was handed a GPU tensor');
      return t;
    },
    release() {},
    ...cpuColorOps,
    ...cpuSuperpixelOps,
    ...cpuAnchorOps,
  };
}
