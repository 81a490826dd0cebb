/**
 * Where a result may be written, checked before any work is done: never over one of the run's
 * inputs (the same path, a symlink to it or a hard link: same device and inode), and never over an
 * existing file unless the user passed --force. `disco colorize` (one photo or a batch) and
 * `disco run --output` share this rule.
 */
import { realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { NodeRegistry } from '../runtime/engine/registry.ts';
import type { Workflow } from '../runtime/workflow/schema.ts';
import { imageInputs } from './workflow-file.ts';

export class OutputRefused extends Error {
  constructor(message: string, readonly reason: 'input' | 'exists' | 'not-a-file') {
    super(message);
    this.name = 'OutputRefused';
  }
}

const statOf = (path: string): Stats | undefined => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

const realOf = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
};

/**
 * Throws OutputRefused when `output` would replace one of `inputs`, or an existing file while
 * `force` is false. Inputs that do not exist are ignored (their own read reports them).
 */
export function checkOutput(output: string, inputs: readonly string[], force: boolean): void {
  const out = statOf(output);
  const outReal = realOf(output);
  for (const input of inputs) {
    const st = statOf(input);
    const same = realOf(input) === outReal || (st && out && st.dev === out.dev && st.ino === out.ino);
    if (!same) continue;
    const what = resolve(input) === resolve(output) ? 'is an input of this run' : `is the same file as the input ${input}`;
    throw new OutputRefused(`${output}: ${what}; the result would replace it, so choose another output file`, 'input');
  }
  if (!out) return;
  if (!out.isFile()) throw new OutputRefused(`${output}: exists and is not a regular file; choose another output file`, 'not-a-file');
  if (!force) throw new OutputRefused(`${output}: already exists; pass --force to replace it`, 'exists');
}

/** The image files a workflow's image-file parameters (Load Image's) name, as absolute paths (relative ones against `baseDir`). */
export function workflowInputs(wf: Workflow, baseDir: string, registry: NodeRegistry): string[] {
  return imageInputs(wf, registry).flatMap(({ id, param }) => {
    const ref = (wf.nodes.find((n) => String(n.id) === id)?.properties?.params as Record<string, unknown> | undefined)?.[param];
    return typeof ref === 'string' && ref ? [isAbsolute(ref) ? ref : resolve(baseDir, ref)] : [];
  });
}
