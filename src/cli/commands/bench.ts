/**
 * `disco bench [--runs N] [--warmups N] [--full-size-runs N] [--no-full-size] [--official-full-size] [--wasm-full-size] [--reuse] [--quick]
 *  [--engines cpu,torch,wasm,webgpu,browser,batch]`
 * (`npm run bench`): measured speed and memory, ours beside PyTorch. The benchmark lives in bench/
 * (see bench/README.md); this command only reads the options.
 */
import { parse, intOption } from '../args.ts';
import { UsageError } from './index.ts';

const ENGINES = ['cpu', 'torch', 'wasm', 'webgpu', 'browser', 'batch'] as const;

export async function benchCommand(args: string[]): Promise<number> {
  const { values } = parse(args, {
    runs: { type: 'string' },
    warmups: { type: 'string' },
    'full-size-runs': { type: 'string' },
    'no-full-size': { type: 'boolean' },
    'official-full-size': { type: 'boolean' },
    'wasm-full-size': { type: 'boolean' },
    reuse: { type: 'boolean' },
    quick: { type: 'boolean' },
    engines: { type: 'string' },
  }, 0);
  const engines = (values.engines ?? ENGINES.join(',')).split(',').map((e) => e.trim());
  const bad = engines.filter((e) => !(ENGINES as readonly string[]).includes(e));
  if (bad.length) throw new UsageError(`--engines takes a comma-separated list of ${ENGINES.join(', ')}; unknown: ${bad.join(', ')}`);
  const { benchMain, RESULTS_DIR } = await import('../../../bench/run.ts');
  await benchMain({
    runs: intOption(values.runs, 'runs', 1, 100) ?? 5,
    warmups: intOption(values.warmups, 'warmups', 1, 100) ?? 3,
    fullSizeRuns: intOption(values['full-size-runs'], 'full-size-runs', 1, 100) ?? 2,
    fullSize: !values['no-full-size'],
    officialFullSize: Boolean(values['official-full-size']),
    wasmFullSize: Boolean(values['wasm-full-size']),
    reuse: Boolean(values.reuse),
    quick: Boolean(values.quick),
    engines: engines as (typeof ENGINES)[number][],
    outDir: RESULTS_DIR,
  });
  return 0;
}
