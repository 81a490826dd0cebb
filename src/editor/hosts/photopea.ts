/**
 * Photopea as a host, over its Live Messaging protocol. The plugin page runs in Photopea's plugin
 * panel (an iframe) and posts script strings to `window.parent`; Photopea runs each script, sends
 * back what the script asked for, then the string "done". From Photopea's API pages
 * (photopea.com/api/live and /api/plugins, mirrored in sclang007/Open-Photopea api/live.html):
 * - `app.activeDocument.saveToOE("png")` answers with an ArrayBuffer of the document as PNG, then "done";
 * - `app.echoToOE(string)` answers with that string, then "done";
 * - `app.open(url, null, true)`: "asSmart==true will put it into a current document as a smart
 *   object" (the maintainer in photopea/photopea#1191 and #565; photopea.com/learn/scripts:
 *   App.open(url, as, asSmart)). The URL may be a data: URL, which Photopea plugins use to paste
 *   their own canvases (e.g. yikuansun/sprite-replicator). So the result becomes a NEW layer and the
 *   original layers stay. (Posting the PNG's ArrayBuffer itself would open it as a new document.)
 *   Photopea's "done" can come before the pasted layer exists (photopea/photopea#6137), so nothing
 *   here scripts that layer afterwards.
 *
 * Messages are trusted only from the expected origin and the parent window, and only in the shapes
 * above (an ArrayBuffer while an image is awaited, "done", our own echo while one is awaited);
 * anything else is ignored with a console warning that says why.
 */
import { blobToDataUrl, type HostBridge, type ResultMeta } from './host-bridge.ts';

export const PHOTOPEA_ORIGIN = 'https://www.photopea.com';
/** Our echo replies start with this, so they cannot be confused with anything else Photopea says. */
const ECHO_PREFIX = 'disco-nodes:document:';

export interface PhotopeaOptions {
  /** The origin Photopea messages must come from (default https://www.photopea.com). */
  readonly origin?: string;
  /** The window Photopea runs in (default: window.parent). */
  readonly target?: Window;
  /** How long to wait for "done" before giving up. */
  readonly timeoutMs?: number;
}

interface Reply {
  readonly buffers: ArrayBuffer[];
  readonly echoes: string[];
}

interface Pending extends Reply {
  readonly want: { buffer: boolean; echo: boolean };
  resolve(r: Reply): void;
}

export class PhotopeaBridge implements HostBridge {
  readonly name = 'Photopea';
  readonly onReady: Promise<void>;
  readonly origin: string;
  private readonly target: Window;
  private readonly timeoutMs: number;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: PhotopeaOptions = {}) {
    this.origin = checkOrigin(opts.origin ?? PHOTOPEA_ORIGIN);
    this.target = opts.target ?? window.parent;
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    window.addEventListener('message', this.onMessage);
    this.onReady = this.target === window
      ? Promise.reject(new Error('not inside Photopea: open this page from Photopea\'s plugin panel (see the README), or add ?host=file'))
      : Promise.resolve();
    this.onReady.catch(() => undefined);
  }

  async getImage(): Promise<Blob> {
    const reply = await this.script('app.activeDocument.saveToOE("png");', { buffer: true, echo: false });
    if (reply.buffers.length !== 1) throw new Error(`Photopea sent ${reply.buffers.length} images instead of one: is a document open?`);
    return new Blob([reply.buffers[0]!], { type: 'image/png' });
  }

  async putResult(png: Blob, _meta: ResultMeta): Promise<void> {
    await this.script(`app.open(${JSON.stringify(await blobToDataUrl(png))}, null, true);`, { buffer: false, echo: false });
  }

  async documentKey(): Promise<string | undefined> {
    const reply = await this.script(`app.echoToOE(${JSON.stringify(ECHO_PREFIX)} + app.activeDocument.name);`, { buffer: false, echo: true });
    return reply.echoes[0]?.slice(ECHO_PREFIX.length) || undefined;
  }

  /** Stops listening (the panel is going away). */
  dispose(): void {
    window.removeEventListener('message', this.onMessage);
  }

  /** Runs a script in Photopea, one at a time; resolves with what came back before "done". */
  private script(code: string, want: Pending['want']): Promise<Reply> {
    const run = async () => {
      await this.onReady;
      return new Promise<Reply>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending = undefined;
          reject(new Error(`Photopea did not answer within ${this.timeoutMs / 1000} s (script: ${code.slice(0, 60)}…)`));
        }, this.timeoutMs);
        this.pending = { buffers: [], echoes: [], want, resolve: (r) => (clearTimeout(timer), resolve(r)) };
        this.target.postMessage(code, this.origin);
      });
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private readonly onMessage = (e: MessageEvent): void => {
    const why = this.accept(e);
    if (why) console.warn(`[disco photopea] ignored a message from ${e.origin || 'an unknown origin'}: ${why}`);
  };

  /** Takes a message into the pending reply; returns why it was ignored, if it was. */
  private accept(e: MessageEvent): string | undefined {
    if (e.origin !== this.origin) return `the origin is not the host's (${this.origin})`;
    if (e.source !== this.target) return 'it did not come from the host window';
    const p = this.pending;
    const data: unknown = e.data;
    if (data === 'done') {
      if (!p) return 'a "done" with no script waiting';
      this.pending = undefined;
      p.resolve({ buffers: p.buffers, echoes: p.echoes });
      return undefined;
    }
    if (data instanceof ArrayBuffer) {
      if (!p?.want.buffer) return 'an ArrayBuffer while no image was requested';
      p.buffers.push(data);
      return undefined;
    }
    if (typeof data === 'string' && data.startsWith(ECHO_PREFIX)) {
      if (!p?.want.echo) return 'a document name while none was asked for';
      p.echoes.push(data);
      return undefined;
    }
    return `unexpected data (${typeof data === 'string' ? `the string ${JSON.stringify(data.slice(0, 40))}` : describe(data)}): only an image ArrayBuffer and "done" are expected`;
  }
}

/**
 * The host origin from `?hostOrigin=` (tests point it at a fake host), else Photopea's. Only the dev
 * server may call this (plugin-main.ts): in a built site any page that frames the plugin could name
 * itself the host and receive the user's image and result.
 */
export function testHostOriginFrom(search: string): string {
  return checkOrigin(new URLSearchParams(search).get('hostOrigin') ?? PHOTOPEA_ORIGIN);
}

function checkOrigin(origin: string): string {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    throw new Error(`the host origin "${origin}" is not a URL origin like ${PHOTOPEA_ORIGIN}`);
  }
  if (parsed.origin !== origin || parsed.origin === 'null') throw new Error(`the host origin "${origin}" must be a bare origin like ${PHOTOPEA_ORIGIN} (scheme://host[:port], no path)`);
  return origin;
}

function describe(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v === null ? 'null' : typeof v);
  return (v as object).constructor?.name ?? 'an object';
}
