/**
 * Writes `disco eval` results into a model set's manifest (quality.discoEval), with the project's
 * quality bars for a default model checked against them:
 *
 *   npx disco eval .cache/disco-data/eval --json .cache/eval-auto.json
 *   npx disco eval .cache/disco-data/eval --oracle-anchors --json .cache/eval-oracle.json
 *   npx tsx scripts/record-eval.ts models/disco-lite .cache/eval-auto.json .cache/eval-oracle.json
 *
 * Bars: mean colourfulness >= 60 % of the ground truth's; RGB PSNR no more than 1 dB below the gray
 * baseline; with oracle anchors, RGB PSNR at least 3 dB above the gray baseline.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalReport } from '../src/cli/eval/report.ts';

const round = (x: number, digits: number): number => Number(x.toFixed(digits));
const metrics = (m: EvalReport['mean']['result']) => ({
  psnr: round(m.psnr, 2), ssim: round(m.ssim, 4), colourfulness: round(m.colorfulness, 2), deltaE00: round(m.deltaE00, 2),
});

function bars(auto: EvalReport, oracle: EvalReport): Record<string, string> {
  const cf = auto.mean.result.colorfulness;
  const cfTruth = auto.mean.truthColorfulness;
  const gray = auto.mean.gray.psnr;
  const below = gray - auto.mean.result.psnr;
  const oracleGain = oracle.mean.result.psnr - oracle.mean.gray.psnr;
  const verdict = (ok: boolean) => (ok ? 'met' : 'missed');
  return {
    'colourfulness >= 60% of ground truth':
      `${verdict(cf >= 0.6 * cfTruth)}: ${Math.round((100 * cf) / cfTruth)}% (${cf.toFixed(2)} of ${cfTruth.toFixed(2)}; ${(0.6 * cfTruth).toFixed(2)} needed)`,
    'PSNR no more than 1 dB below gray':
      `${verdict(below <= 1)}: ${below >= 0 ? `${below.toFixed(2)} dB below` : `${(-below).toFixed(2)} dB above`} (${auto.mean.result.psnr.toFixed(2)} vs ${gray.toFixed(2)})`,
    'oracle-anchor PSNR >= gray + 3 dB':
      `${verdict(oracleGain >= 3)}: ${oracleGain >= 0 ? '+' : ''}${oracleGain.toFixed(2)} dB (${oracle.mean.result.psnr.toFixed(2)} vs ${(oracle.mean.gray.psnr + 3).toFixed(2)} needed)`,
  };
}

function main(argv: string[]): void {
  if (argv.length !== 3) throw new Error('usage: npx tsx scripts/record-eval.ts <model set folder> <auto.json> <oracle.json>');
  const [setDir, autoFile, oracleFile] = argv;
  const auto = JSON.parse(readFileSync(autoFile, 'utf8')) as EvalReport;
  const oracle = JSON.parse(readFileSync(oracleFile, 'utf8')) as EvalReport;
  if (auto.oracleAnchors || !oracle.oracleAnchors) throw new Error(`${autoFile} must be a plain run and ${oracleFile} an --oracle-anchors run`);
  if (auto.photos.length !== oracle.photos.length) throw new Error('the two reports cover different photos');
  const manifestPath = join(setDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.quality = {
    ...manifest.quality,
    discoEval: {
      command: 'npx disco eval .cache/disco-data/eval [--oracle-anchors]  (TypeScript runtime: onnxruntime-node + CPU kernels, workflows/disco-auto.json, result at the original size)',
      images: auto.photos.length,
      auto: metrics(auto.mean.result),
      oracleAnchors: metrics(oracle.mean.result),
      gray: { psnr: round(auto.mean.gray.psnr, 2), ssim: round(auto.mean.gray.ssim, 4), deltaE00: round(auto.mean.gray.deltaE00, 2) },
      groundTruthColourfulness: round(auto.mean.truthColorfulness, 2),
      bars: bars(auto, oracle),
    },
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  console.log(JSON.stringify(manifest.quality.discoEval, null, 2));
}

main(process.argv.slice(2));
