/** The benchmark's bookkeeping (not its timings): medians, the parameter-free sum, the target verdicts. */
import { describe, expect, it } from 'vitest';
import type { OursResult, PipelineResult } from '../bench/jobs.ts';
import { renderMarkdown, verdicts, type BenchReport } from '../bench/report.ts';
import { median, medianRun, parameterFreeMs, parameterFreeShare } from '../bench/stats.ts';

/** A result whose median run had these stages (the other runs' stages do not matter to the report). */
const ours = (runsMs: number[], stagesMs: Record<string, number>, editMs: number[], rss: number): OursResult => ({
  engine: 'onnxruntime-node (cpu, 2 threads)', firstMs: 999, runsMs, runStagesMs: runsMs.map(() => stagesMs), stagesMs,
  stagesRunMs: median(runsMs), maxRssBytes: rss, editMs,
  editStages: ['user-anchors', 'refine'], cacheHitMs: [1, 2, 3],
});
const torch = (runsMs: number[]): PipelineResult => ({
  engine: 'torch', firstMs: 1, runsMs, runStagesMs: runsMs.map(() => ({ refine: 50 })), stagesMs: { refine: 50 }, stagesRunMs: median(runsMs), maxRssBytes: 1e9,
});

const report: BenchReport = {
  machine: { cpu: 'Test CPU', cores: 2, memoryBytes: 2 ** 34, node: 'v20', date: '2026-01-01T00:00:00Z' },
  notes: ['webgpu: software adapter; skipped'],
  cases: [
    { set: 'lite', setNote: '', photo: '256×256', networksAt: '256×256', runs: 3, cpu: ours([200, 250, 400], { refine: 100, recombine: 10 }, [50], 3e8) },
    { set: 'big', setNote: '', photo: '1024×768', networksAt: '256×256', runs: 3,
      cpu: ours([900, 1000, 1100], { refine: 800, 'sp-pool': 100 }, [600, 600, 600], 2.5e9), torch: torch([1000, 2000, 3000]) },
  ],
};

describe('bench bookkeeping', () => {
  it('takes medians and picks the median run', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(medianRun([300, 100, 200])).toBe(2);
    expect(medianRun([400, 100, 200, 300])).toBe(2); // the lower middle
    expect(() => medianRun([])).toThrow('no runs');
  });

  it("takes the parameter-free share from the median run's own stages", () => {
    expect(parameterFreeShare({ stagesMs: { refine: 150, 'sp-pool': 30, 'load-image': 10 }, stagesRunMs: 200 })).toBe(0.2);
  });

  it('sums every stage that is not one of the five networks', () => {
    expect(parameterFreeMs({ refine: 100, 'feature-extractor': 5, 'sp-pool': 3, 'load-image': 2 })).toBe(5);
  });

  it('checks each target against the measured ratios', () => {
    const v = Object.fromEntries(verdicts(report, 'lite', 'big').map((x) => [x.target, x]));
    const at = '1024×768 photo, networks at 256×256';
    expect(v[`official size, ${at}: CLI ≤ 0.8× PyTorch`]).toMatchObject({ met: true, measured: '0.50×' });
    expect(v[`official size, ${at}: parameter-free stages < 5 % of the total`]).toMatchObject({ met: false, measured: '10.0 %' });
    expect(v[`official size, ${at}: anchor edit ≤ 0.5× a full run`]).toMatchObject({ met: false, measured: '0.60×' });
    expect(v[`official size, ${at}: peak RSS < 2 GB`]).toMatchObject({ met: false, measured: '2500 MB' });
    expect(v['default set (lite), whole pipeline at 256×256 < 0.3 s']).toMatchObject({ met: true, measured: '250 ms' });
  });

  it('renders the tables, the verdicts and what was not measured', () => {
    const md = renderMarkdown(report, 'lite', 'big');
    expect(md).toContain('Machine: Test CPU, 2 cores');
    expect(md).toContain('| big | 1024×768 | 256×256 | 1000 | 2000 | 0.50× |');
    expect(md).toContain('| **refine** | 800 | 50.0 | 16.00× |');
    expect(md).toContain('| between stages (executor, cache keys) | 100 | 1950 | – | – |');
    expect(md).toContain('| whole run (the median run) | 1000 | 2000 | 0.50× | – |');
    expect(md).toContain('- MISSED: official size, 1024×768 photo, networks at 256×256: peak RSS < 2 GB — measured 2500 MB');
    expect(md).toContain('- webgpu: software adapter; skipped');
  });

  it('holds the median of the first visits against the first-result target, and shows each visit', () => {
    const browser = {
      engine: 'Chromium', backendLabel: 'CPU', crossOriginIsolated: true,
      firstResultMs: 2900, firstResultsMs: [3400, 2900, 2800], editMs: [400, 500, 450], editRunMs: [300],
    };
    const md = renderMarkdown({ ...report, browser }, 'lite', 'big');
    expect(md).toContain('| 0.97× | browser: first result of disco-auto, 1024×768 photo (models loaded in it; median of 3 first visits: 3.40, 2.90, 2.80 s) | 2.90 s | ≤ 3.00 s | met |');
    expect(md).toContain('| first result: each visit (a fresh browser each) | 3400, 2900, 2800 |');
  });
});
