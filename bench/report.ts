/**
 * The benchmark's results as one JSON-able object, and its Markdown rendering with the targets of the
 * issue checked (ratios on the same machine, in the same run).
 */
import type { BatchResult, BrowserResult, OursResult, PipelineResult, SkippedResult } from './jobs.ts';
import { LEARNED_STAGES, median, parameterFreeMs, parameterFreeShare } from './stats.ts';
import { renderBrowserAndBatch, renderSummary } from './summary.ts';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly date: string;
  /** Which SP-Pool / SP-Diffuse kernels the CLI rows ran (older result files lack it). */
  readonly cliSuperpixelKernels?: string;
}

/** One model set on one input, measured by every engine. */
export interface Case {
  readonly set: string;
  /** e.g. "official-size random weights". */
  readonly setNote: string;
  /** e.g. "256×256" or "1024×768". */
  readonly photo: string;
  /** The size the networks run at, e.g. "256×256" or "1024×1024 (1024×768 padded)". */
  readonly networksAt: string;
  readonly runs: number;
  /** Untimed runs before them (older result files lack it). */
  readonly warmups?: number;
  readonly cpu?: OursResult | SkippedResult;
  readonly torch?: PipelineResult | SkippedResult;
  readonly wasm?: OursResult | SkippedResult;
  readonly webgpu?: OursResult | SkippedResult;
}

export interface BenchReport {
  readonly machine: Machine;
  readonly cases: readonly Case[];
  /** Why a whole part was not measured (e.g. WebGPU on a software adapter). */
  readonly notes: readonly string[];
  /** The editor in Chromium (bench/browser.ts). */
  readonly browser?: BrowserResult | SkippedResult;
  /** Photos/s over the held-out set, ours and PyTorch (bench/batch.ts). */
  readonly batch?: BatchResult | SkippedResult;
}

type Measured<T> = T extends SkippedResult ? never : T;
const ok = <T extends object>(r: T | SkippedResult | undefined): Measured<T> | undefined =>
  r && !('skipped' in r) ? (r as Measured<T>) : undefined;

const ms = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined || !b ? '–' : `${(a / b).toFixed(2)}×`);
const mb = (bytes: number | undefined): string => (bytes === undefined ? '–' : `${(bytes / 1e6).toFixed(0)} MB`);

export const wholeMs = (r: PipelineResult | undefined): number | undefined => (r ? median(r.runsMs) : undefined);

function wholeTable(cases: readonly Case[]): string[] {
  const rows = [
    '| set | photo | networks at | CLI ms | PyTorch ms | CLI / PyTorch | WASM ms | WASM / CLI | anchor edit ms | edit / full | cache hit ms | first run ms | peak RSS CLI | peak RSS PyTorch | peak RSS WASM |',
    '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const c of cases) {
    const cpu = ok(c.cpu), torch = ok(c.torch), wasm = ok(c.wasm);
    const full = wholeMs(cpu);
    const edit = cpu ? median(cpu.editMs) : undefined;
    rows.push(`| ${c.set} | ${c.photo} | ${c.networksAt} | ${ms(full)} | ${ms(wholeMs(torch))} | ${ratio(full, wholeMs(torch))} | ` +
      `${ms(wholeMs(wasm))} | ${ratio(wholeMs(wasm), full)} | ${ms(edit)} | ${ratio(edit, full)} | ${ms(cpu ? median(cpu.cacheHitMs) : undefined)} | ` +
      `${ms(cpu?.firstMs)} | ${mb(cpu?.maxRssBytes)} | ${mb(torch?.maxRssBytes)} | ${mb(wasm?.maxRssBytes)} |`);
  }
  return rows;
}

function stageTable(c: Case): string[] {
  const cpu = ok(c.cpu), torch = ok(c.torch), wasm = ok(c.wasm);
  const stages = [...new Set([...Object.keys(cpu?.stagesMs ?? {}), ...Object.keys(torch?.stagesMs ?? {})])];
  const rows = [
    `### ${c.set}, ${c.photo} photo, networks at ${c.networksAt}`,
    '',
    '| stage | CLI ms | PyTorch ms | CLI / PyTorch | WASM ms |',
    '|---|--:|--:|--:|--:|',
  ];
  for (const s of stages) {
    const learned = (LEARNED_STAGES as readonly string[]).includes(s);
    const name = learned ? `**${s}**` : s;
    rows.push(`| ${name} | ${ms(cpu?.stagesMs[s])} | ${ms(torch?.stagesMs[s])} | ${ratio(cpu?.stagesMs[s], torch?.stagesMs[s])} | ${ms(wasm?.stagesMs[s])} |`);
  }
  const sum = (r: PipelineResult | undefined, learned: boolean) =>
    r ? (learned ? LEARNED_STAGES.reduce((t, s) => t + (r.stagesMs[s] ?? 0), 0) : parameterFreeMs(r.stagesMs)) : undefined;
  for (const [label, learned] of [['networks (sum)', true], ['parameter-free stages (sum)', false]] as const) {
    rows.push(`| ${label} | ${ms(sum(cpu, learned))} | ${ms(sum(torch, learned))} | ${ratio(sum(cpu, learned), sum(torch, learned))} | ${ms(sum(wasm, learned))} |`);
  }
  const between = (r: PipelineResult | undefined) => (r ? r.stagesRunMs - Object.values(r.stagesMs).reduce((t, v) => t + v, 0) : undefined);
  rows.push(`| between stages (executor, cache keys) | ${ms(between(cpu))} | ${ms(between(torch))} | – | ${ms(between(wasm))} |`);
  rows.push(`| whole run (the median run) | ${ms(cpu?.stagesRunMs)} | ${ms(torch?.stagesRunMs)} | ${ratio(cpu?.stagesRunMs, torch?.stagesRunMs)} | ${ms(wasm?.stagesRunMs)} |`);
  if (cpu) {
    rows.push('', `Parameter-free share of the CLI run: ${(100 * parameterFreeShare(cpu)).toFixed(1)} %. ` +
      `An anchor edit reruns: ${cpu.editStages.join(', ')}.`);
  }
  return rows;
}

export interface Verdict {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

/** The targets, checked against this run. `met` is undefined when a number is missing. */
export function verdicts(report: BenchReport, defaultSet: string, officialSet: string): Verdict[] {
  const find = (set: string, photo: string, full: boolean) =>
    report.cases.find((c) => c.set === set && c.photo === photo && c.networksAt.startsWith('256') !== full);
  const out: Verdict[] = [];
  const check = (target: string, value: number | undefined, limit: number, show: (v: number) => string) => {
    out.push({ target, measured: value === undefined ? 'not measured' : show(value), met: value === undefined ? undefined : value <= limit });
  };
  for (const [photo, full] of [['256×256', false], ['1024×768', false], ['1024×768', true]] as const) {
    const c = find(officialSet, photo, full);
    if (!c || !ok(c.cpu)) continue;
    const cpu = ok(c.cpu), torch = ok(c.torch);
    const where = `${photo} photo, networks at ${c.networksAt}`;
    check(`official size, ${where}: CLI ≤ 0.8× PyTorch`, cpu && torch ? wholeMs(cpu)! / wholeMs(torch)! : undefined, 0.8, (v) => `${v.toFixed(2)}×`);
    check(`official size, ${where}: parameter-free stages < 5 % of the total`, cpu ? parameterFreeShare(cpu) : undefined, 0.05, (v) => `${(100 * v).toFixed(1)} %`);
    check(`official size, ${where}: anchor edit ≤ 0.5× a full run`, cpu ? median(cpu.editMs) / wholeMs(cpu)! : undefined, 0.5, (v) => `${v.toFixed(2)}×`);
    if (photo === '1024×768') check(`official size, ${where}: peak RSS < 2 GB`, cpu?.maxRssBytes, 2e9, (v) => mb(v));
  }
  const lite = find(defaultSet, '256×256', false);
  check(`default set (${defaultSet}), whole pipeline at 256×256 < 0.3 s`, wholeMs(ok(lite?.cpu)), 300, (v) => `${ms(v)} ms`);
  return out;
}

/** A case some engine measured (cases every engine skipped appear only under "Not measured"). */
const measured = (c: Case): boolean => (['cpu', 'torch', 'wasm', 'webgpu'] as const).some((k) => ok(c[k]));

export function renderMarkdown(full: BenchReport, defaultSet: string, officialSet: string): string {
  const report = { ...full, cases: full.cases.filter(measured) };
  const m = report.machine;
  const lines = [
    `# Benchmark results (${m.date})`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, Node ${m.node}.`
      + (m.cliSuperpixelKernels ? ` CLI parameter-free kernels: ${m.cliSuperpixelKernels}.` : ''),
    report.cases.length ? `Pipeline times are medians of ${[...new Set(report.cases.map((c) => c.runs))].join(' or ')} runs after ${[...new Set(report.cases.map((c) => c.warmups ?? 1))].join(' or ')} untimed warm-up runs; memory is each configuration's peak resident set (its own process).` : '',
    '',
    '## Summary (ratios first)',
    '',
    ...renderSummary(full, defaultSet),
    '',
    ...renderBrowserAndBatch(full),
  ];
  if (report.cases.length) lines.push('## Whole pipeline', '', ...wholeTable(report.cases), '', '## Stages', '');
  for (const c of report.cases) lines.push(...stageTable(c), '');
  lines.push('## Targets', '');
  for (const v of verdicts(report, defaultSet, officialSet)) {
    lines.push(`- ${v.met === undefined ? '?' : v.met ? 'met' : 'MISSED'}: ${v.target} — measured ${v.measured}`);
  }
  const skipped = report.cases.flatMap((c) => (['cpu', 'torch', 'wasm', 'webgpu'] as const)
    .filter((k) => c[k] && 'skipped' in c[k]).map((k) => `${k}: ${(c[k] as SkippedResult).skipped}; skipped`));
  const skippedAll = full.cases.filter((c) => !measured(c)).map((c) => `${c.set}, ${c.photo} photo, networks at ${c.networksAt}: ${
    (Object.values(c).find((r) => r && typeof r === 'object' && 'skipped' in r) as SkippedResult | undefined)?.skipped ?? 'not run'}`);
  const parts = [['browser', full.browser], ['batch', full.batch]] as const;
  const skippedParts = parts.filter(([, r]) => r && 'skipped' in r).map(([k, r]) => `${k}: ${(r as SkippedResult).skipped}`);
  const notes = [...new Set([...report.notes, ...skippedAll, ...skipped, ...skippedParts])];
  if (notes.length) lines.push('', '## Not measured', '', ...notes.map((n) => `- ${n}`));
  return lines.join('\n') + '\n';
}
