/**
 * Model sets served over HTTP (the browser): `<baseUrl><set>/manifest.json` plus the stage files. The
 * list of sets comes from the `sets` option or else `<baseUrl>index.json` (a JSON array of set names).
 */
import { checkSegment, type ModelSource } from './model-source.ts';

export interface FetchModelSourceOptions {
  /** URL prefix of the models folder, e.g. "/models/" (a trailing slash is added if missing). */
  readonly baseUrl: string;
  /** The set names, if known; otherwise read from `<baseUrl>index.json`. */
  readonly sets?: readonly string[];
  /** The fetch to use (default: globalThis.fetch). */
  readonly fetch?: typeof fetch;
}

export function fetchModelSource(opts: FetchModelSourceOptions): ModelSource {
  const base = opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`;
  const get = opts.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
  const where = (set: string, file?: string): string => `${base}${set}/${file ?? ''}`;

  async function fetchOk(url: string, what: string): Promise<Response> {
    let res: Response;
    try {
      res = await get(url);
    } catch (e) {
      throw new Error(`${url}: could not fetch ${what}: ${(e as Error).message}`);
    }
    if (!res.ok) throw new Error(`${url}: could not fetch ${what}: HTTP ${res.status} ${res.statusText}`);
    return res;
  }

  async function json(url: string, what: string): Promise<unknown> {
    const text = await (await fetchOk(url, what)).text();
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new Error(`${url}: ${what} is not valid JSON: ${(e as Error).message}`);
    }
  }

  return {
    where,
    async listSets() {
      if (opts.sets) return [...opts.sets].sort();
      const list = await json(`${base}index.json`, 'the model-set index');
      if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
        throw new Error(`${base}index.json: expected a JSON array of model-set names`);
      }
      return [...list].sort();
    },
    readManifest: (set) => json(where(checkSegment(set, 'model set'), 'manifest.json'), `the manifest of model set "${set}"`),
    async readFile(set, file) {
      const url = where(checkSegment(set, 'model set'), checkSegment(file, 'file'));
      return new Uint8Array(await (await fetchOk(url, 'the model file')).arrayBuffer());
    },
  };
}
