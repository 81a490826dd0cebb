/**
 * The benchmark's first table: every measure that has a target or a reference as a ratio (below 1
 * is better, except throughput where above 1 is), then the measured value, what it is held against,
 * and whether the target is met. The issue's targets (issue 14) live here.
 */
import type { BatchResult, BrowserResult, OursResult, PipelineResult, SkippedResult } from './jobs.ts';
import type { BenchReport } from './report.ts';
import { isLearned, median, parameterFreeShare } from './stats.ts';

export interface SummaryRow {
  /** The ratio shown first, e.g. "2.31×". */
  readonly ratio: string;
  readonly measure: string;
  readonly measured: string;
  readonly against: string;
  /** undefined: no target (a reference only), or not measured. */
  readonly met: boolean | undefined;
}

const ok = <T extends object>(r: T | SkippedResult | undefined): T | undefined => (r && !('skipped' in r) ? r : undefined);
const x = (v: number) => `${v.toFixed(2)}×`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Targets of issue 14 (on 2 cores, in `npm run bench`). */
export const TARGETS = {
  browserEditMs: 1000,
  browserFirstMs: 3000,
  cliLiteMs: 300,
  cliEditMs: 150,
  stageVsTorch: 2,
  parameterFreeShare: 0.1,
  batchVsTorch: 2,
} as const;

export function summaryRows(report: BenchReport, defaultSet: string): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const missing = (measure: string, against: string, why: string) => rows.push({ ratio: '–', measure, measured: why, against, met: undefined });

  const batch = ok<BatchResult>(report.batch);
  const torchBatch = batch && ok(batch.torch);
  if (batch && torchBatch) {
    const best = batch.ours[0];
    const r = best.photosPerS / torchBatch.photosPerS;
    rows.push({ ratio: x(r), measure: `batch: photos/s, ours (${best.workers} workers) / PyTorch, ${batch.photos} photos`,
      measured: `${best.photosPerS.toFixed(2)} vs ${torchBatch.photosPerS.toFixed(2)} photos/s`, against: `≥ ${TARGETS.batchVsTorch}× PyTorch`, met: r >= TARGETS.batchVsTorch });
  } else missing('batch: photos/s, ours / PyTorch', `≥ ${TARGETS.batchVsTorch}× PyTorch`, skippedWhy(report.batch, batch?.torch));

  const browser = ok<BrowserResult>(report.browser);
  if (browser) {
    const edit = median(browser.editMs);
    rows.push({ ratio: x(edit / TARGETS.browserEditMs), measure: `browser: anchor recolour, click to new pixels (median of ${browser.editMs.length})`,
      measured: secs(edit), against: `≤ ${secs(TARGETS.browserEditMs)}`, met: edit <= TARGETS.browserEditMs });
    rows.push({ ratio: x(browser.firstResultMs / TARGETS.browserFirstMs), measure: `browser: first result of disco-auto, 1024×768 photo (models loaded in it${browser.firstResultsMs ? `; median of ${browser.firstResultsMs.length} first visits: ${browser.firstResultsMs.map((v) => (v / 1000).toFixed(2)).join(', ')} s` : ''})`,
      measured: secs(browser.firstResultMs), against: `≤ ${secs(TARGETS.browserFirstMs)}`, met: browser.firstResultMs <= TARGETS.browserFirstMs });
  } else {
    missing('browser: anchor recolour, click to new pixels', `≤ ${secs(TARGETS.browserEditMs)}`, skippedWhy(report.browser));
    missing('browser: first result of disco-auto', `≤ ${secs(TARGETS.browserFirstMs)}`, skippedWhy(report.browser));
  }

  const lite = report.cases.find((c) => c.set === defaultSet && c.photo === '256×256' && c.networksAt.startsWith('256'));
  const cpu = ok<OursResult>(lite?.cpu);
  const torch = ok<PipelineResult>(lite?.torch);
  if (cpu) {
    const full = median(cpu.runsMs);
    const edit = median(cpu.editMs);
    rows.push({ ratio: x(full / TARGETS.cliLiteMs), measure: `CLI: ${defaultSet} 256×256, whole pipeline`, measured: `${full.toFixed(0)} ms`, against: `≤ ${TARGETS.cliLiteMs} ms`, met: full <= TARGETS.cliLiteMs });
    rows.push({ ratio: x(edit / TARGETS.cliEditMs), measure: `CLI: ${defaultSet} 256×256, anchor edit rerun`, measured: `${edit.toFixed(0)} ms`, against: `≤ ${TARGETS.cliEditMs} ms`, met: edit <= TARGETS.cliEditMs });
    const free = Object.entries(cpu.stagesMs).filter(([k]) => !isLearned(k));
    const share = parameterFreeShare(cpu);
    rows.push({ ratio: x(share / TARGETS.parameterFreeShare), measure: `CLI: ${defaultSet} 256×256, parameter-free stages' share of the run`,
      measured: `${(100 * share).toFixed(1)} %`, against: `≤ ${100 * TARGETS.parameterFreeShare} %`, met: share <= TARGETS.parameterFreeShare });
    if (torch) {
      const ratios = free.filter(([k]) => torch.stagesMs[k] !== undefined && torch.stagesMs[k] > 0).map(([k, v]) => [k, v / torch.stagesMs[k]] as const);
      const worst = ratios.sort((a, b) => b[1] - a[1])[0];
      if (worst) {
        rows.push({ ratio: x(worst[1]), measure: `CLI: slowest parameter-free stage against PyTorch's (${defaultSet} 256×256): ${worst[0]}`,
          measured: `${cpu.stagesMs[worst[0]].toFixed(1)} vs ${torch.stagesMs[worst[0]].toFixed(1)} ms`, against: `≤ ${TARGETS.stageVsTorch}× PyTorch`, met: worst[1] <= TARGETS.stageVsTorch });
      }
    }
  } else missing(`CLI: ${defaultSet} 256×256, whole pipeline`, `≤ ${TARGETS.cliLiteMs} ms`, skippedWhy(lite?.cpu));

  // Every pipeline case: ours against PyTorch (a reference, no target).
  for (const c of report.cases) {
    const o = ok<OursResult>(c.cpu), t = ok<PipelineResult>(c.torch);
    if (!o || !t) continue;
    const r = median(o.runsMs) / median(t.runsMs);
    rows.push({ ratio: x(r), measure: `CLI / PyTorch: ${c.set}, ${c.photo} photo, networks at ${c.networksAt}`,
      measured: `${median(o.runsMs).toFixed(0)} vs ${median(t.runsMs).toFixed(0)} ms`, against: 'PyTorch (reference)', met: undefined });
  }
  return rows;
}

function skippedWhy(...rs: (object | undefined)[]): string {
  const s = rs.find((r): r is SkippedResult => !!r && 'skipped' in r);
  return s ? `not measured: ${s.skipped}` : 'not measured';
}

export function renderSummary(report: BenchReport, defaultSet: string): string[] {
  const rows = summaryRows(report, defaultSet);
  return [
    '| ratio | measure | measured | against | target |',
    '|--:|---|--:|---|---|',
    ...rows.map((r) => `| ${r.ratio} | ${r.measure} | ${r.measured} | ${r.against} | ${r.met === undefined ? '–' : r.met ? 'met' : 'MISSED'} |`),
  ];
}

/** The browser and batch sections' detail tables. */
export function renderBrowserAndBatch(report: BenchReport): string[] {
  const lines: string[] = [];
  const browser = ok<BrowserResult>(report.browser);
  if (browser) {
    lines.push('## Browser (editor in Chromium, CPU/WASM path, disco-auto, 1024×768 photo)', '',
      `${browser.engine}; top bar: "${browser.backendLabel}".`, '',
      '| measure | ms |', '|---|--:|',
      `| first result: Run clicked to the result drawn (model loading included), median of ${browser.firstResultsMs?.length ?? 1} first visits | ${browser.firstResultMs.toFixed(0)} |`,
      ...(browser.firstResultsMs ? [`| first result: each visit (a fresh browser each) | ${browser.firstResultsMs.map((v) => v.toFixed(0)).join(', ')} |`] : []),
      ...(browser.returningFirstResultMs !== undefined ? [`| first result of a returning visit (a second tab of the first browser: its caches warm, its own worker and onnxruntime) | ${browser.returningFirstResultMs.toFixed(0)} |`] : []),
      `| anchor recolour: click to new result drawn, median of ${browser.editMs.length} | ${median(browser.editMs).toFixed(0)} |`,
      `| anchor recolour: each | ${browser.editMs.map((v) => v.toFixed(0)).join(', ')} |`,
      `| anchor recolour: the rerun alone (the editor's run time), median | ${browser.editRunMs.length ? median(browser.editRunMs).toFixed(0) : '–'} |`, '');
  }
  const batch = ok<BatchResult>(report.batch);
  if (batch) {
    const torch = ok(batch.torch);
    lines.push(`## Batch (${batch.photos} photos: ${batch.set})`, '',
      '| engine | workers | wall s | photos/s | / PyTorch |', '|---|--:|--:|--:|--:|');
    for (const r of [...batch.ours, ...(torch ? [torch] : [])]) {
      lines.push(`| ${r.engine} | ${r.workers} | ${(r.wallMs / 1000).toFixed(1)} | ${r.photosPerS.toFixed(2)} | ${torch ? x(r.photosPerS / torch.photosPerS) : '–'} |`);
    }
    if (torch?.perPhotoMs?.length) lines.push('', `PyTorch's pipeline alone (start-up excluded): median ${median(torch.perPhotoMs).toFixed(0)} ms per photo.`);
    lines.push('');
  }
  return lines;
}
