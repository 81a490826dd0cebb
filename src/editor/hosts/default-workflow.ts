/**
 * The workflow a new document starts with: DISCO's automatic workflow when its model set is served
 * (models/disco-lite), else the training-free user-guided one. `?workflow=<name>` picks one of the
 * examples explicitly. The examples are bundled, so the plugin needs no workflows/ folder online.
 */
import discoAuto from '../../../workflows/disco-auto.json';
import discoDiverse from '../../../workflows/disco-diverse.json';
import userGuided from '../../../workflows/user-guided.json';

export const EXAMPLE_WORKFLOWS: Readonly<Record<string, object>> = {
  'disco-auto': discoAuto,
  'disco-diverse': discoDiverse,
  'user-guided': userGuided,
};

const AUTO_MODEL_SET = 'disco-lite';

export async function defaultWorkflow(requested?: string | null): Promise<{ name: string; json: object }> {
  if (requested) {
    const json = EXAMPLE_WORKFLOWS[requested];
    if (!json) throw new Error(`no example workflow "${requested}" (there are: ${Object.keys(EXAMPLE_WORKFLOWS).join(', ')})`);
    return { name: requested, json };
  }
  const name = (await modelSetServed(AUTO_MODEL_SET)) ? 'disco-auto' : 'user-guided';
  return { name, json: EXAMPLE_WORKFLOWS[name]! };
}

/** Whether models/<set>/manifest.json is served (a dev server answers unknown paths with HTML: parse it). */
async function modelSetServed(set: string): Promise<boolean> {
  try {
    const res = await fetch(new URL(`models/${set}/manifest.json`, document.baseURI));
    if (!res.ok) return false;
    const manifest: unknown = await res.json();
    return typeof manifest === 'object' && manifest !== null;
  } catch {
    return false;
  }
}
