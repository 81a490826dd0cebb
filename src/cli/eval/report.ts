/** `disco eval` results: per-photo rows, their mean, a text table and the JSON document. */
import type { ImageMetrics } from '../../runtime/metrics/index.ts';

export interface PhotoScores {
  readonly photo: string;
  readonly width: number;
  readonly height: number;
  /** Set when the result's size differed from the photo's: both were compared at this size. */
  readonly comparedAt?: { readonly width: number; readonly height: number };
  /** The colorized gray photo vs the original. */
  readonly result: ImageMetrics;
  /** The gray photo itself vs the original (the do-nothing baseline). */
  readonly gray: ImageMetrics;
  /** Colourfulness of the original. */
  readonly truthColorfulness: number;
}

export interface MeanScores {
  readonly result: ImageMetrics;
  readonly gray: ImageMetrics;
  readonly truthColorfulness: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const meanMetrics = (ms: readonly ImageMetrics[]): ImageMetrics => ({
  psnr: mean(ms.map((m) => m.psnr)),
  ssim: mean(ms.map((m) => m.ssim)),
  deltaE00: mean(ms.map((m) => m.deltaE00)),
  colorfulness: mean(ms.map((m) => m.colorfulness)),
});

/** Per-photo means (PSNR is averaged in dB, as colorization papers report it). */
export function meanScores(rows: readonly PhotoScores[]): MeanScores {
  return {
    result: meanMetrics(rows.map((r) => r.result)),
    gray: meanMetrics(rows.map((r) => r.gray)),
    truthColorfulness: mean(rows.map((r) => r.truthColorfulness)),
  };
}

const COLUMNS = ['photo', 'PSNR', 'SSIM', 'CF', 'CF gt', 'dE00', 'gray PSNR', 'gray SSIM', 'gray dE00'];

const fixed = (x: number, digits: number): string => (x === Infinity ? 'inf' : x.toFixed(digits));

function cells(name: string, result: ImageMetrics, gray: ImageMetrics, truthCf: number): string[] {
  return [
    name, fixed(result.psnr, 2), fixed(result.ssim, 4), fixed(result.colorfulness, 2), fixed(truthCf, 2),
    fixed(result.deltaE00, 2), fixed(gray.psnr, 2), fixed(gray.ssim, 4), fixed(gray.deltaE00, 2),
  ];
}

/** The table: one row per photo and a mean row; the photo column left-aligned, numbers right-aligned. */
export function formatTable(rows: readonly PhotoScores[]): string {
  const m = meanScores(rows);
  const body = [
    ...rows.map((r) => cells(r.photo + (r.comparedAt ? ` @${r.comparedAt.width}x${r.comparedAt.height}` : ''), r.result, r.gray, r.truthColorfulness)),
    cells(`mean (${rows.length})`, m.result, m.gray, m.truthColorfulness),
  ];
  const all = [COLUMNS, ...body];
  const widths = COLUMNS.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(COLUMNS), rule, ...body.slice(0, -1).map(line), rule, line(body[body.length - 1])].join('\n') + '\n';
}

export interface EvalReport {
  readonly folder: string;
  readonly workflow: string;
  readonly models?: string;
  readonly oracleAnchors: boolean;
  /** The reference each photo got (--reference-mode), when the run had one. */
  readonly referenceMode?: 'flipped' | 'unrelated';
  /** --set settings applied to the workflow. */
  readonly settings?: readonly string[];
  readonly photos: readonly PhotoScores[];
  readonly mean: MeanScores;
}

/** JSON text; an infinite PSNR (identical images) is written as the string "Infinity". */
export function reportJson(report: EvalReport): string {
  return JSON.stringify(report, (_k, v) => (v === Infinity ? 'Infinity' : v), 2) + '\n';
}
