/**
 * Entry of plugin.html. The host comes from `?host=photopea|file`; by default Photopea when the page
 * is inside a frame, else the file picker. On the dev server only, `?hostOrigin=` sets the origin
 * Photopea messages must come from (tests use a fake host); the build leaves it out (__DISCO_DEV_SERVER__
 * is false there, so the branch and its function are dropped). `?workflow=` picks an example workflow.
 */
import '../embed/index.ts';
import type { DiscoEditor } from '../embed/disco-editor.ts';
import { FilePickerBridge } from './file-picker.ts';
import type { HostBridge } from './host-bridge.ts';
import { PhotopeaBridge, testHostOriginFrom } from './photopea.ts';
import { PluginPanel } from './plugin-panel.ts';
import './plugin.css';

const params = new URLSearchParams(location.search);
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const ui = {
  colorize: $<HTMLButtonElement>('plugin-colorize'),
  reset: $<HTMLButtonElement>('plugin-reset'),
  host: $('plugin-host'),
  backend: $('plugin-backend'),
  storage: $('plugin-storage'),
  status: $('plugin-status'),
};

function makeHost(): HostBridge {
  const kind = params.get('host') ?? (window.parent !== window ? 'photopea' : 'file');
  if (kind === 'photopea') return new PhotopeaBridge({ origin: __DISCO_DEV_SERVER__ ? testHostOriginFrom(location.search) : undefined });
  if (kind === 'file') {
    const input = $<HTMLInputElement>('plugin-file');
    input.hidden = false;
    return new FilePickerBridge({ input, results: $('plugin-results') });
  }
  throw new Error(`unknown host "${kind}": use ?host=photopea or ?host=file`);
}

try {
  const panel = new PluginPanel(makeHost(), document.querySelector<DiscoEditor>('disco-editor')!, ui, { workflow: params.get('workflow') });
  (window as unknown as { discoPlugin: PluginPanel }).discoPlugin = panel; // for tests and devtools
  void panel.start();
} catch (e) {
  ui.colorize.disabled = true;
  ui.status.textContent = (e as Error).message;
  ui.status.dataset.kind = 'error';
}
