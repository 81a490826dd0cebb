import { describe, expect, it } from 'vitest';
import { formatTable, meanScores, reportJson, type PhotoScores } from './report.ts';

const row = (photo: string, psnr: number, ssim: number): PhotoScores => ({
  photo, width: 4, height: 4,
  result: { psnr, ssim, deltaE00: 2, colorfulness: 30 },
  gray: { psnr: 20, ssim: 0.5, deltaE00: 10, colorfulness: 0 },
  truthColorfulness: 40,
});

describe('eval report', () => {
  it('averages per photo and prints a row per photo, a rule and the mean row', () => {
    const rows = [row('a.png', 30, 0.9), row('b.jpg', 20, 0.7)];
    expect(meanScores(rows).result).toEqual({ psnr: 25, ssim: 0.8, deltaE00: 2, colorfulness: 30 });
    expect(formatTable(rows).split('\n')).toEqual([
      'photo      PSNR    SSIM     CF  CF gt  dE00  gray PSNR  gray SSIM  gray dE00',
      '--------  -----  ------  -----  -----  ----  ---------  ---------  ---------',
      'a.png     30.00  0.9000  30.00  40.00  2.00      20.00     0.5000      10.00',
      'b.jpg     20.00  0.7000  30.00  40.00  2.00      20.00     0.5000      10.00',
      '--------  -----  ------  -----  -----  ----  ---------  ---------  ---------',
      'mean (2)  25.00  0.8000  30.00  40.00  2.00      20.00     0.5000      10.00',
      '',
    ]);
  });

  it('shows an infinite PSNR as inf, and writes it to JSON as "Infinity"', () => {
    const rows = [row('same.png', Infinity, 1)];
    expect(formatTable(rows)).toMatch(/^same\.png\s+inf\s+1\.0000/m);
    const json = JSON.parse(reportJson({ folder: '/f', workflow: '/w.json', oracleAnchors: false, photos: rows, mean: meanScores(rows) }));
    expect(json.photos[0].result.psnr).toBe('Infinity');
    expect(json.mean.result.psnr).toBe('Infinity');
  });
});
