/**
 * `disco models list` and `disco models import <checkpoint> [--name disco-official]`. Import runs
 * the Python exporter in training/ with Debian's PyTorch (/usr/bin/python3).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from '../args.ts';
import { printable } from '../terminal-text.ts';
import { createNodeModels } from '../node-host.ts';
import { UsageError } from './index.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PYTHON = process.env.DISCO_PYTHON ?? '/usr/bin/python3';
export const INSTALL_TORCH = 'sudo apt-get install python3-torch python3-onnx';

export async function modelsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    parse(rest, {}, 0);
    const host = await createNodeModels();
    const sets = await host.listSets();
    process.stdout.write(sets.length ? sets.map(printable).join('\n') + '\n' : 'no model sets installed\n');
    return 0;
  }
  if (sub === 'import') {
    const { values, positionals } = parse(rest, { name: { type: 'string' } }, 1);
    const checkpoint = positionals[0];
    if (!existsSync(checkpoint)) throw new Error(`${checkpoint}: no such checkpoint file`);
    const torch = spawnSync(PYTHON, ['-c', 'import torch, onnx'], { encoding: 'utf8' });
    if (torch.status !== 0) throw new Error(`PyTorch is not installed: run "${INSTALL_TORCH}"`);
    const name = values.name ?? 'disco-official';
    const r = spawnSync(PYTHON, [`${REPO}training/import_checkpoint.py`, checkpoint, '--name', name, '--out', `${REPO}models`], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`importing ${checkpoint} failed (see the message above)`);
    process.stderr.write(`model set "${name}" installed in models/${name}\n`);
    return 0;
  }
  throw new UsageError(`disco models: expected "list" or "import", got ${sub ? `"${sub}"` : 'nothing'}`);
}
