/**
 * A batch worker process (started by pool.ts with tsx's loader; argv[2] is a WorkerInit as JSON):
 * one Colorizer (its own backend and ONNX sessions), then one photo per `job` message until `stop`.
 * A photo that fails is reported and the worker goes on with the next.
 */
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { Colorizer } from '../colorizer.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';

const send = (m: FromWorker): void => void process.send!(m);
const firstLine = (e: unknown): string => String((e as Error)?.message ?? e).split('\n')[0];

async function main(): Promise<void> {
  const init = JSON.parse(process.argv[2] ?? '{}') as WorkerInit;
  // libvips' threads too: a worker's share of the cores, like onnxruntime's (see pool.ts).
  if (init.settings.threads) sharp.concurrency(init.settings.threads);
  let colorizer: Colorizer;
  try {
    colorizer = await Colorizer.open(init.settings);
  } catch (e) {
    process.send!({ type: 'fatal', message: firstLine(e) } satisfies FromWorker, () => process.exit(1));
    return;
  }
  process.on('disconnect', () => process.exit(1)); // the parent is gone (e.g. killed): stop too
  // One job at a time: the parent sends the next after this one's answer.
  process.on('message', (m: ToWorker) => {
    if (m.type === 'stop') {
      colorizer.close();
      process.exit(0); // onnxruntime and sharp may keep threads alive
    }
    const t0 = performance.now();
    colorizer.colorize(m.input, m.output).then(
      (size) => send({ type: 'done', id: m.id, ms: performance.now() - t0, ...size }),
      (e: unknown) => send({ type: 'failed', id: m.id, message: firstLine(e) }),
    );
  });
  send({ type: 'ready' });
}

void main();
