/**
 * Where the native kernels (addon.c and the C files it is built from) are built and how: shared by
 * the build script (scripts/build-native.ts, run by `npm run setup`) and the loader
 * (native-kernels.ts). The file name carries a hash of the sources and the compiler flags, so an
 * addon built from older sources is never loaded: after a change the loader finds no file (the
 * WebAssembly kernels run) until the next `npm run setup` or `npm run build:native`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** The C files compiled into the addon. */
export const NATIVE_SOURCES = ['addon.c', 'napi-args.c', 'threads.c', 'sp-kernels.c', 'lab-kernels.c', 'png-decode.c', 'resize-kernels.c'].map(here);
/** The headers they include (hashed with them). */
const NATIVE_HEADERS = ['napi-args.h', 'threads.h', 'widest-vectors.h'].map(here);
export const NATIVE_DIR = fileURLToPath(new URL('../../../../../build/native/', import.meta.url));

/**
 * gcc's flags besides the include folder, sources and output. -ffp-contract=off: no fused
 * multiply-adds, so the sums round as the definition's (sp-kernels.c).
 */
export const NATIVE_FLAGS = ['-O3', '-std=c11', '-shared', '-fPIC', '-pthread', '-fvisibility=hidden', '-ffp-contract=off', '-Wall', '-Wno-psabi', '-Werror'];

/** Libraries linked after the sources: libdeflate (Debian's libdeflate-dev, which `npm run setup` installs). */
export const NATIVE_LIBS = ['-ldeflate'];

/** The addon's path for the current sources and flags. */
export function nativeAddonPath(): string {
  const hash = createHash('sha256');
  for (const file of [...NATIVE_SOURCES, ...NATIVE_HEADERS]) hash.update(readFileSync(file));
  return `${NATIVE_DIR}native-kernels-${hash.update([...NATIVE_FLAGS, ...NATIVE_LIBS].join(' ')).digest('hex').slice(0, 16)}.node`;
}
