import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyModelsDir } from '../../../test/helpers/tiny-models.ts';
import { fetchModelSource } from './fetch-model-source.ts';
import { OnnxModelHost } from './model-host.ts';
import { createWebGateway } from './ort-web.ts';

let dir: string;
const requested: string[] = [];
// A stand-in for the web server: serves the tiny models directory under /models/.
const fakeFetch = (async (input: RequestInfo | URL) => {
  const url = String(input);
  requested.push(url);
  if (url === '/models/index.json') return new Response(JSON.stringify(['tiny']));
  try {
    return new Response(await readFile(join(dir, url.replace(/^\/models\//, ''))));
  } catch {
    return new Response('not found', { status: 404, statusText: 'Not Found' });
  }
}) as typeof fetch;

beforeAll(async () => {
  dir = await tinyModelsDir();
});

describe('fetchModelSource', () => {
  it('lists sets from index.json or the sets option', async () => {
    expect(await fetchModelSource({ baseUrl: '/models', fetch: fakeFetch }).listSets()).toEqual(['tiny']);
    expect(await fetchModelSource({ baseUrl: '/models', sets: ['b', 'a'], fetch: fakeFetch }).listSets()).toEqual(['a', 'b']);
  });

  it('names the URL and HTTP status of a missing set', async () => {
    const src = fetchModelSource({ baseUrl: '/models/', fetch: fakeFetch });
    await expect(src.readManifest('gone')).rejects.toThrow('/models/gone/manifest.json: could not fetch the manifest of model set "gone": HTTP 404 Not Found');
  });

  it('feeds a model host that loads and runs a stage with onnxruntime-web', async () => {
    const h = new OnnxModelHost({ source: fetchModelSource({ baseUrl: '/models/', fetch: fakeFetch }), gateway: createWebGateway({ prefer: 'wasm' }) });
    const m = await h.load('tiny', 'spixelnet');
    expect(requested).toContain('/models/tiny/spixelnet.onnx');
    const gray = { location: 'cpu', dtype: 'float32', shape: [1, 1, 16, 16], data: new Float32Array(256) } as const;
    const { assoc } = await h.run(m, { gray });
    expect(assoc.shape).toEqual([1, 9, 16, 16]);
    await h.release();
  });
});
