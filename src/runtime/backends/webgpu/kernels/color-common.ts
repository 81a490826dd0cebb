/**
 * Shared WGSL of the 1-D colour kernels (workgroup size WG, dispatched by `linear` in ../kernel.ts
 * as a 2-D grid so large photos stay under the 65535-workgroups-per-dimension limit). WGSL lives in
 * TypeScript template strings (not `.wgsl?raw` imports) so the same modules load under Vite, vitest
 * and tsx (the CLI) without a loader.
 */
import { WG } from '../kernel.ts';

/** WGSL: `let i = flat_index(gid, nwg);` gives the linear invocation index. */
export const FLAT_INDEX = /* wgsl */ `
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * ${WG}u;
}`;
