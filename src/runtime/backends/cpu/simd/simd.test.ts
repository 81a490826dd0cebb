/**
 * The committed wasm binaries are what their AssemblyScript sources compile to (run
 * `npm run build:wasm` after editing a .as.ts file). The kernels' results are tested in
 * ../sp-kernels.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernels, generatedModule, SIMD_DIR, SOURCES } from '../../../../../scripts/build-wasm.ts';

describe('SIMD kernel binaries', () => {
  it.each(SOURCES)('%s.wasm.ts is up to date with its .as.ts source', async (name) => {
    const committed = readFileSync(`${SIMD_DIR}${name}.wasm.ts`, 'utf8');
    expect(committed, 'run npm run build:wasm').toBe(generatedModule(name, await compileKernels(name)));
  }, 60_000);
});
