/**
 * Builds the native kernels (src/runtime/backends/cpu/native/*.c) into
 * build/native/ with Debian's gcc and the Node-API headers from the node-api-headers package.
 * `npm run setup` runs it; `npm run build:native` after editing the C source. Without gcc or
 * libdeflate's header it says so and exits 0: the CLI then runs the WebAssembly kernels (slower,
 * same results within the bound stated in sp-pool.ts) and node:zlib.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NATIVE_DIR, NATIVE_FLAGS, NATIVE_LIBS, NATIVE_SOURCES, nativeAddonPath } from '../src/runtime/backends/cpu/native/native-build.ts';

const say = (line: string) => process.stderr.write(`build-native: ${line}\n`);

const target = nativeAddonPath();
const include = join(dirname(createRequire(import.meta.url).resolve('node-api-headers/package.json')), 'include');
mkdirSync(NATIVE_DIR, { recursive: true });
if (existsSync(target)) {
  say(`up to date: ${target}`);
} else {
  try {
    execFileSync('gcc', ['--version'], { stdio: 'ignore' });
  } catch {
    say('gcc not found (Debian: apt-get install gcc libc6-dev): the CLI uses the WebAssembly kernels');
    process.exit(0);
  }
  try {
    execFileSync('gcc', ['-E', '-x', 'c', '-o', '/dev/null', '-'], { input: '#include <libdeflate.h>\n', stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    say('libdeflate.h not found (Debian: apt-get install libdeflate-dev): the CLI uses the WebAssembly kernels');
    process.exit(0);
  }
  const partial = `${target}.partial`;
  execFileSync('gcc', [...NATIVE_FLAGS, '-I', include, '-o', partial, ...NATIVE_SOURCES, ...NATIVE_LIBS], { stdio: 'inherit' });
  renameSync(partial, target);
  say(`built ${target}`);
}
// Addons of older sources are never loaded again.
for (const name of readdirSync(NATIVE_DIR)) if (join(NATIVE_DIR, name) !== target) rmSync(join(NATIVE_DIR, name), { force: true });
