/**
 * `disco run --dump <dir>`: every node's outputs in a form a person can open.
 * IMAGE → PNG; LAB/GRAY → PNG of the photo it holds; AFFINITY → superpixel boundaries over the
 * photo; ANCHORS → JSON; COLOR_DIST → JSON of each superpixel's top-5 bins; TENSOR/TOKENS → raw
 * little-endian float32 `.bin` with a `.json` header (shape, min, max, mean). MODEL → JSON.
 */
import { join } from 'node:path';
import type { Backend } from '../runtime/backends/backend.ts';
import type { RunResult } from '../runtime/engine/executor.ts';
import { roleOf } from '../runtime/engine/roles.ts';
import type { CpuTensor, Tensor } from '../runtime/values/tensor.ts';
import type { AffinityValue, AnchorsValue, ColorDistValue, GrayValue, ImageValue, LabValue, ModelValue, TokensValue } from '../runtime/values/types.ts';
import type { ExecGraph } from '../runtime/workflow/exec-format.ts';
import { nodeRegistry } from './execute.ts';
import { encodePng } from './image-io.ts';
import { writeFileAtomic } from './outputs.ts';

export async function dumpRun(dir: string, result: RunResult, graph: ExecGraph, backend: Backend): Promise<string[]> {
  const written: string[] = [];
  const photo = firstPhoto(result, graph);
  const write = async (name: string, bytes: Uint8Array | string) => {
    await writeFileAtomic(join(dir, name), bytes);
    written.push(name);
  };
  for (const id of result.order) {
    const values = result.values.get(id);
    const def = nodeRegistry().get(graph[id].type);
    if (!values || !def) continue;
    for (const [name, port] of Object.entries(def.outputs)) {
      const v = values[name];
      if (v === undefined) continue;
      const stem = `${id}-${def.id.split('/')[1]}-${name}`;
      switch (port.type.name) {
        case 'IMAGE':
          await write(`${stem}.png`, await encodePng(v as ImageValue));
          break;
        case 'LAB':
          await write(`${stem}.png`, await encodePng(await backend.labToRgb((v as LabValue).lab)));
          break;
        case 'GRAY':
          await write(`${stem}.png`, await encodePng(grayImage(await backend.download((v as GrayValue).L))));
          break;
        case 'AFFINITY':
          if (photo) await write(`${stem}-boundaries.png`, await encodePng(await backend.superpixelOverlay(photo, (v as AffinityValue).assoc, (v as AffinityValue).cell)));
          await writeTensor(write, stem, await backend.download((v as AffinityValue).assoc));
          break;
        case 'ANCHORS':
          await write(`${stem}.json`, anchorsJson(v as AnchorsValue));
          break;
        case 'COLOR_DIST':
          await write(`${stem}.json`, distJson(await backend.download((v as ColorDistValue).probs)));
          break;
        case 'TOKENS':
          await writeTensor(write, stem, await backend.download((v as TokensValue).tokens));
          break;
        case 'TENSOR':
          await writeTensor(write, stem, await backend.download(v as Tensor));
          break;
        case 'MODEL': {
          const { handle: _handle, ...info } = v as ModelValue;
          await write(`${stem}.json`, JSON.stringify(info, null, 2) + '\n');
          break;
        }
        default:
          await write(`${stem}.json`, JSON.stringify({ type: port.type.name, description: port.type.describe(v) }) + '\n');
      }
    }
  }
  return written;
}

function firstPhoto(result: RunResult, graph: ExecGraph): ImageValue | undefined {
  for (const id of result.order) {
    if (roleOf(nodeRegistry(), graph[id].type) === 'photo') return result.values.get(id)?.image as ImageValue | undefined;
  }
  return undefined;
}

async function writeTensor(write: (n: string, b: Uint8Array | string) => Promise<void>, stem: string, t: CpuTensor): Promise<void> {
  let min = Infinity, max = -Infinity, sum = 0;
  for (const x of t.data) { min = Math.min(min, x); max = Math.max(max, x); sum += x; }
  const header = { dtype: t.dtype, shape: t.shape, layout: 'NCHW, little-endian, C order', min, max, mean: sum / t.data.length };
  await write(`${stem}.bin`, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  await write(`${stem}.json`, JSON.stringify(header, null, 2) + '\n');
}

function grayImage(L: CpuTensor): ImageValue {
  const [, , h, w] = L.shape;
  const data = new Uint8ClampedArray(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const v = (L.data[i] / 100) * 255;
    data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = v;
    data[i * 4 + 3] = 255;
  }
  return { width: w, height: h, data };
}

function anchorsJson(v: AnchorsValue): string {
  return JSON.stringify({ gridH: v.gridH, gridW: v.gridW, anchors: v.anchors, clusters: v.clusters ? Array.from(v.clusters) : undefined }, null, 2) + '\n';
}

/** Each superpixel's five most probable bins, with probabilities rounded to 4 digits. */
function distJson(probs: CpuTensor): string {
  const [, bins, h, w] = probs.shape;
  const cells = [];
  for (let s = 0; s < h * w; s++) {
    const p = Array.from({ length: bins }, (_, b) => [b, probs.data[b * h * w + s]] as const);
    p.sort((a, b) => b[1] - a[1]);
    cells.push({ cell: s, top: p.slice(0, 5).map(([bin, prob]) => ({ bin, prob: Math.round(prob * 1e4) / 1e4 })) });
  }
  return JSON.stringify({ gridH: h, gridW: w, bins, cells }, null, 1) + '\n';
}
