/**
 * The plugin panel, whatever the host: a bar with Colorize, the engine's backend and a status line,
 * above a `<disco-editor>` holding the workflow. Colorize asks the host for its picture, runs the
 * workflow, and hands the result PNG back to the host as a new layer/file. The workflow is kept
 * per host document in browser storage, so reopening the panel on that document brings back the
 * edited anchors for another run.
 */
import type { DiscoEditor } from '../embed/disco-editor.ts';
import { DiscoProgressEvent, DiscoReadyEvent } from '../embed/events.ts';
import { idbGet, idbPut, storageMode } from '../storage/idb.ts';
import { defaultWorkflow } from './default-workflow.ts';
import type { HostBridge } from './host-bridge.ts';

export interface PanelUi {
  readonly colorize: HTMLButtonElement;
  readonly reset: HTMLButtonElement;
  readonly host: HTMLElement;
  readonly backend: HTMLElement;
  readonly storage: HTMLElement;
  readonly status: HTMLElement;
}

const RESULT_NAME = 'Disco colorized';

export class PluginPanel {
  /** The host document whose workflow is on the canvas. */
  docKey: string | undefined;
  private busy = false;

  constructor(readonly host: HostBridge, readonly editor: DiscoEditor, private readonly ui: PanelUi, private readonly opts: { workflow?: string | null } = {}) {
    ui.host.textContent = host.name;
    ui.colorize.addEventListener('click', () => void this.colorize());
    ui.reset.addEventListener('click', () => void this.step(() => this.loadDefault()));
    editor.addEventListener(DiscoReadyEvent.type, (e) => this.showBackend(e));
    editor.addEventListener(DiscoProgressEvent.type, (e) => {
      if (this.busy) this.setStatus(`Colorizing… ${Math.round((100 * e.done) / e.total)}%`);
    });
  }

  /** Waits for the editor and the host, then puts the document's kept workflow (or the default) on the canvas. */
  async start(): Promise<void> {
    if (this.editor.backend) this.showBackend(this.editor.backend);
    await this.editor.ready;
    const storage = await storageMode();
    this.ui.storage.textContent = storage.kind === 'indexeddb'
      ? 'Workflows are kept per document in this browser.'
      : `Browser storage is blocked in this frame (${storage.reason}): workflows are kept only while the panel is open.`;
    this.ui.storage.title = this.ui.storage.textContent;
    try {
      await this.host.onReady;
    } catch (e) {
      this.ui.colorize.disabled = true;
      this.setStatus((e as Error).message, 'error');
      return;
    }
    await this.step(async () => {
      const key = await this.host.documentKey().catch(() => undefined);
      if (!(await this.useDocument(key))) await this.loadDefault();
    });
  }

  /** Picture from the host → workflow → result back to the host as a new layer. */
  async colorize(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.ui.colorize.disabled = true;
    try {
      const key = await this.host.documentKey();
      if (key !== this.docKey) await this.useDocument(key); // another document: its own workflow if it has one
      this.setStatus(`Reading the picture from ${this.host.name}…`);
      await this.editor.loadImage(await this.host.getImage());
      this.setStatus('Colorizing…');
      await this.editor.run();
      const png = await this.editor.getResult();
      const { width, height } = await pngSize(png);
      const workflow = this.editor.workflow;
      this.setStatus(`Adding the result to ${this.host.name}…`);
      await this.host.putResult(png, { workflow, width, height, name: RESULT_NAME });
      if (key) await idbPut('state', storageKey(this.host.name, key), JSON.stringify(workflow));
      this.setStatus(`Done: "${RESULT_NAME}" added (${width}×${height})${key ? `; the workflow is kept for ${key}` : ''}.`, 'ok');
    } catch (e) {
      this.setStatus(`Colorize failed: ${(e as Error).message}`, 'error');
    } finally {
      this.busy = false;
      this.ui.colorize.disabled = false;
    }
  }

  /** Loads the workflow kept for `key`; false if there is none. */
  private async useDocument(key: string | undefined): Promise<boolean> {
    this.docKey = key;
    const kept = key ? await idbGet<string>('state', storageKey(this.host.name, key)).catch(() => undefined) : undefined;
    if (!kept) return false;
    await this.editor.loadWorkflow(kept);
    this.setStatus(`Workflow kept for ${key} loaded: edit it, then Colorize.`);
    return true;
  }

  private async loadDefault(): Promise<void> {
    const { name, json } = await defaultWorkflow(this.opts.workflow);
    await this.editor.loadWorkflow(json);
    this.setStatus(`Workflow: ${name}. Colorize adds a new layer; the original stays.`);
  }

  private async step(f: () => Promise<void>): Promise<void> {
    try {
      await f();
    } catch (e) {
      this.setStatus((e as Error).message, 'error');
    }
  }

  private showBackend(b: { backend?: string; name?: string; fallbackReason?: string }): void {
    this.ui.backend.textContent = backendText(b.backend ?? b.name ?? 'unknown', b.fallbackReason);
    this.ui.backend.title = this.ui.backend.textContent;
  }

  private setStatus(text: string, kind: 'info' | 'ok' | 'error' = 'info'): void {
    this.ui.status.textContent = text;
    this.ui.status.dataset.kind = kind;
  }
}

/**
 * What runs the kernels and the models. onnxruntime-web falls back to one WASM thread by itself
 * when the page is not cross-origin isolated (SharedArrayBuffer missing), which a plugin iframe
 * usually is not.
 */
export function backendText(backend: string, fallbackReason?: string): string {
  const threads = globalThis.crossOriginIsolated ? 'multi-threaded' : 'single-threaded (not cross-origin isolated)';
  const models = backend.startsWith('WebGPU') ? `WebGPU, WASM ${threads} fallback` : `WASM ${threads}`;
  return `Backend: ${backend}${fallbackReason ? ` — WebGPU unavailable: ${fallbackReason}` : ''} · models: onnxruntime-web ${models}`;
}

const storageKey = (host: string, doc: string) => `plugin:${host}:${doc}`;

async function pngSize(png: Blob): Promise<{ width: number; height: number }> {
  const bitmap = await createImageBitmap(png);
  const size = { width: bitmap.width, height: bitmap.height };
  bitmap.close();
  return size;
}
