/**
 * The one kernel convention (kernel.ts): every WGSL source is a Kernel in kernels/*.wgsl.ts, and its
 * bindings come in one order: storage inputs, storage outputs, then the uniform block last.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Kernel } from './kernel.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const KERNELS = join(HERE, 'kernels');

async function allKernels(): Promise<Kernel[]> {
  const out: Kernel[] = [];
  for (const f of readdirSync(KERNELS).filter((n) => n.endsWith('.wgsl.ts'))) {
    const mod = (await import(join(KERNELS, f))) as Record<string, unknown>;
    for (const v of Object.values(mod)) if (v && typeof v === 'object' && 'wgsl' in v && 'label' in v) out.push(v as Kernel);
  }
  return out;
}

describe('WGSL kernel convention', () => {
  it('keeps every WGSL source under webgpu/kernels/', () => {
    const outside = readdirSync(HERE).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))
      .filter((n) => /@compute|var<storage/.test(readFileSync(join(HERE, n), 'utf8')));
    expect(outside).toEqual([]);
  });

  it('binds storage inputs, then outputs, then the uniform block, numbered from 0', async () => {
    const kernels = await allKernels();
    expect(kernels.length).toBeGreaterThanOrEqual(20);
    for (const k of kernels) {
      const bindings = [...k.wgsl.matchAll(/@group\(0\) @binding\((\d+)\) var<([^>]*)>/g)];
      expect(bindings.map((b) => Number(b[1])), k.label).toEqual(bindings.map((_, i) => i));
      const rank = bindings.map((b) => (b[2] === 'uniform' ? 2 : b[2].includes('read_write') ? 1 : 0));
      expect(rank, k.label).toEqual([...rank].sort());
      expect(rank.filter((r) => r === 2).length, `${k.label}: one uniform block at most`).toBeLessThanOrEqual(1);
    }
  });
});
