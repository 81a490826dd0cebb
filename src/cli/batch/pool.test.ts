/** The worker pool: every photo settles once, a worker that dies fails its photo and is replaced. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPool } from './pool.ts';
import { BatchProgress } from './progress.ts';

const STAND_IN = fileURLToPath(new URL('./fixtures/crashy-worker.ts', import.meta.url));

describe('batch worker pool', () => {
  it('goes past a failed photo and a worker that dies, replacing it, and settles every photo once', async () => {
    const lines: string[] = [];
    const out = { isTTY: false, write: (s: string) => lines.push(s) } as unknown as NodeJS.WriteStream;
    const names = ['a.png', 'crash1.png', 'b.png', 'fail.png', 'c.png', 'crash2.png', 'd.png'];
    const items = names.map((n) => ({ input: `/photos/${n}`, output: `/out/${n}` }));
    const progress = new BatchProgress(out, items.length);
    const failures = await runPool(items, { workers: 2, settings: { diverse: 1, backend: 'cpu' }, progress, workerScript: STAND_IN });
    expect(progress.counts).toEqual({ done: 4, skipped: 0, failed: 3 });
    expect(failures.map((f) => f.input).sort()).toEqual(['/photos/crash1.png', '/photos/crash2.png', '/photos/fail.png']);
    expect(failures.find((f) => f.input.endsWith('crash1.png'))!.message).toBe('the worker stopped (SIGKILL) while colorizing it: simulated crash');
    expect(lines.filter((l) => / -> /.test(l))).toHaveLength(4);
  }, 120_000);
});
