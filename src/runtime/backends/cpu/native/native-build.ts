/**
 * Where the native superpixel kernels (sp-kernels.c) are built and how: shared by the build script
 * (scripts/build-native.ts, run by `npm run setup`) and the loader (native-kernels.ts). The file
 * name carries a hash of the source and the compiler flags, so an addon built from an older source
 * is never loaded: after a change the loader finds no file (the WebAssembly kernels run) until the
 * next `npm run setup` or `npm run build:native`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const NATIVE_SOURCE = fileURLToPath(new URL('./sp-kernels.c', import.meta.url));
export const NATIVE_DIR = fileURLToPath(new URL('../../../../../build/native/', import.meta.url));

/**
 * gcc's flags besides the include folder, source and output. -ffp-contract=off: no fused
 * multiply-adds, so the sums round as the definition's (sp-kernels.c).
 */
export const NATIVE_FLAGS = ['-O3', '-std=c11', '-shared', '-fPIC', '-pthread', '-fvisibility=hidden', '-ffp-contract=off', '-Wall', '-Wno-psabi', '-Werror'];

/** The addon's path for the current source and flags. */
export function nativeAddonPath(): string {
  const hash = createHash('sha256').update(readFileSync(NATIVE_SOURCE)).update(NATIVE_FLAGS.join(' ')).digest('hex').slice(0, 16);
  return `${NATIVE_DIR}sp-kernels-${hash}.node`;
}
