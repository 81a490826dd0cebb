/** Argument parsing for the subcommands: node:util's parseArgs, with errors as UsageError. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.ts';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals: number | [number, number]) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^TypeError \[\w+\]: /, ''));
  }
  const [min, max] = Array.isArray(positionals) ? positionals : [positionals, positionals];
  if (parsed.positionals.length < min) throw new UsageError(`missing argument (expected ${min})`);
  if (parsed.positionals.length > max) throw new UsageError(`unexpected argument "${parsed.positionals[max]}"`);
  return parsed;
}

export function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

export function backendOption(value: string | undefined): 'cpu' | 'webgpu' | 'auto' {
  if (value === undefined || value === 'cpu' || value === 'webgpu' || value === 'auto') return value ?? 'cpu';
  throw new UsageError(`--backend must be cpu, webgpu or auto, got "${value}"`);
}

/** `--max-memory MB` in bytes, or undefined for the default budget. */
export function memoryOption(value: string | undefined): number | undefined {
  const mb = intOption(value, 'max-memory', 1, 2 ** 31);
  return mb === undefined ? undefined : mb * 1e6;
}

export const commonOptions = {
  backend: { type: 'string' },
  'max-pixels': { type: 'string' },
  'max-memory': { type: 'string' },
  'models-dir': { type: 'string' },
} as const;
