/** A hand-made ExecContext for node tests: the CPU backend (or one given), no models, a fake host IO, collected warnings. */
import type { Backend } from '../../src/runtime/backends/backend.ts';
import { createCpuBackend } from '../../src/runtime/backends/cpu/cpu-backend.ts';
import type { ExecContext, HostIO } from '../../src/runtime/engine/context.ts';
import { noModels } from '../../src/runtime/engine/context.ts';
import type { NodeDef, Values } from '../../src/runtime/engine/node-def.ts';

const noIo: HostIO = { loadImage: async () => { throw new Error('no images here'); }, fingerprint: async () => '' };

export function ctxWith(warnings: string[] = [], io: HostIO = noIo, backend: Backend = createCpuBackend()): ExecContext {
  return {
    nodeId: 'n1', backend, models: noModels, io, signal: new AbortController().signal,
    progress() {}, warn: (m) => warnings.push(m),
  };
}

const defaults = (def: NodeDef) => Object.fromEntries(Object.entries(def.params).map(([k, p]) => [k, p.default]));

/** Runs `def.execute` with the params' defaults overridden by `params`. */
export const runNode = async (def: NodeDef, inputs: Values, params: Values = {}, warnings: string[] = [], io?: HostIO, backend?: Backend) =>
  def.execute(ctxWith(warnings, io, backend), inputs, { ...defaults(def), ...params });
