/**
 * Shared bits of the colour kernels. WGSL lives in TypeScript template strings (not `.wgsl?raw`
 * imports) so the same modules load under Vite, vitest and tsx (the CLI) without a loader.
 * Every colour kernel runs one invocation per output element with @workgroup_size(64), dispatched
 * as a 2-D grid so large photos stay under the 65535-workgroups-per-dimension limit.
 */
export const WG = 64;
const MAX_GROUPS = 65535;

/** Workgroup counts for `n` invocations. */
export function groups(n: number): [number, number] {
  const g = Math.max(1, Math.ceil(n / WG));
  return g <= MAX_GROUPS ? [g, 1] : [MAX_GROUPS, Math.ceil(g / MAX_GROUPS)];
}

/** WGSL: `let i = flat_index(gid, nwg);` gives the linear invocation index. */
export const FLAT_INDEX = /* wgsl */ `
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * ${WG}u;
}`;
