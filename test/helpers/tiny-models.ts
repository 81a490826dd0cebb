/**
 * Tiny ONNX model sets that obey DISCO's stage contract, exported at test time by
 * test/fixtures/make_tiny_models.py with Debian's torch. Returns the models directory, which holds
 * `tiny/` (valid) and `tiny-badnames/` (graph names that break the contract).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const script = fileURLToPath(new URL('../fixtures/make_tiny_models.py', import.meta.url));
let made: Promise<string> | undefined;

export function tinyModelsDir(): Promise<string> {
  made ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'disco-tiny-models-'));
    await promisify(execFile)('/usr/bin/python3', [script, dir], { timeout: 120_000 });
    return dir;
  })();
  return made;
}

/** A private copy of the tiny models directory, for tests that damage files or manifests. */
export async function tinyModelsCopy(): Promise<string> {
  const src = await tinyModelsDir();
  const dst = await mkdtemp(join(tmpdir(), 'disco-tiny-copy-'));
  await cp(src, dst, { recursive: true });
  return dst;
}
