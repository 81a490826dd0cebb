import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './cpu-backend.ts';
import { warmUpCpuKernels } from './warm-up.ts';

describe('warmUpCpuKernels', () => {
  it('runs every step of every round on the CPU backend (a step that no longer fits its op throws here)', async () => {
    expect(await warmUpCpuKernels(createCpuBackend(), new AbortController().signal)).toBe(21);
  });

  it('stops at the next step once its signal is aborted', async () => {
    const stop = new AbortController();
    const backend = createCpuBackend();
    let calls = 0;
    const counted = { ...backend, rgbToLab: (...a: Parameters<typeof backend.rgbToLab>) => (calls++, stop.abort(), backend.rgbToLab(...a)) };
    expect(await warmUpCpuKernels(counted, stop.signal)).toBe(1);
    expect(calls).toBe(1);
  });
});
