/**
 * Diverse results (DISCO's T=0/1/2...): runs the workflow once per Anchor Colors `variant` without
 * touching the graph (the variant is set in the exec graph sent to the worker), collects each
 * result image and the anchor colours that variant used, and shows them as a strip. Picking one
 * writes those colours into User Anchors (one undo step) and runs at once, Auto-run or not, so the
 * viewer and Export PNG show the picked result, not the one before.
 */
import type { ExecGraph } from '../../runtime/workflow/exec-format.ts';
import type { EngineClient } from '../worker/engine-client.ts';
import type { RunSummary } from '../worker/protocol.ts';
import type { UserAnchorSpec } from './anchor-edits.ts';
import { addMany } from './anchor-edits.ts';
import type { ViewerController } from './viewer-controller.ts';

export interface DiverseHost {
  readonly engine: EngineClient;
  /** Runs the canvas's graph, changed by `edit` on the way (the canvas itself stays as it is). */
  run(edit: (g: ExecGraph) => void): Promise<RunSummary | undefined>;
  toast(message: string, kind?: 'info' | 'error'): void;
}

export class DiverseGallery {
  private variants: UserAnchorSpec[][] = [];

  constructor(private readonly host: DiverseHost, private readonly viewer: ViewerController) {}

  async run(count = 4): Promise<void> {
    const { anchorColors, result } = this.viewer.roles;
    if (!anchorColors || !result) {
      return this.host.toast('Diverse results need a workflow with Anchor Colors (e.g. disco-auto or disco-diverse), run once first.', 'error');
    }
    // A new or opened document resets the viewer: from then on this strip is of a graph that is gone.
    const epoch = this.viewer.epoch;
    const gone = () => this.viewer.epoch !== epoch;
    for (const old of this.viewer.el.gallery) URL.revokeObjectURL(old.url);
    this.viewer.el.gallery = [];
    this.variants = [];
    this.picked = undefined;
    const items: { url: string; label: string }[] = [];
    for (let v = 0; v < count; v++) {
      this.viewer.el.note = `Diverse results: running variant ${v} of ${count - 1}…`;
      const summary = await this.host.run((g) => {
        (g[anchorColors].inputs as Record<string, unknown>).variant = v;
      });
      if (gone()) return;
      if (!summary?.ok) {
        this.viewer.el.note = '';
        return this.host.toast(`Diverse results stopped at variant ${v}${summary?.error ? `: ${summary.error}` : ''}`, 'error');
      }
      const img = await this.host.engine.inspect({ kind: 'image', nodeId: result });
      if (img.unchanged || img.kind !== 'image') continue;
      const url = await bitmapUrl(img.bitmap);
      const anchors = await this.viewer.colouredAnchors();
      if (gone()) return void [url, ...items.map((i) => i.url)].forEach((u) => URL.revokeObjectURL(u));
      items.push({ url, label: v === 0 ? 'variant 0 (top-1)' : `variant ${v}` });
      this.variants.push(anchors);
      this.viewer.el.gallery = [...items];
    }
    // The canvas still holds the original variant: bring the caches and the view back to it, then
    // offer the pick (a pick during that run would be shown the restored view).
    await this.host.run(() => undefined);
    if (gone()) return;
    this.viewer.el.note = 'Pick a result to use its anchor colours.';
  }

  /** Writes the anchor colours of variant `index` into User Anchors (one undo step). */
  pick(index: number): void {
    const entries = this.variants[index];
    if (!entries?.length) return;
    const node = this.viewer.userNode();
    const list = (node?.params().anchors as UserAnchorSpec[] | undefined) ?? [];
    this.viewer.setAnchors(addMany(list, entries, this.viewer.grid));
    this.viewer.el.note = `Using the anchor colours of variant ${index}.`;
    this.picked = index;
    this.viewer.el.gallery = this.viewer.el.gallery.map((g, i) => ({ ...g, picked: i === index }));
    void this.host.run(() => undefined);
  }

  /** The variant picked last (undefined: none since the strip was made). */
  picked: number | undefined;
}

async function bitmapUrl(bitmap: ImageBitmap): Promise<string> {
  const s = Math.min(1, 320 / Math.max(bitmap.width, bitmap.height)); // shown at 160 px, sharp on HiDPI
  const c = new OffscreenCanvas(Math.max(1, Math.round(bitmap.width * s)), Math.max(1, Math.round(bitmap.height * s)));
  c.getContext('2d')!.drawImage(bitmap, 0, 0, c.width, c.height);
  bitmap.close();
  return URL.createObjectURL(await c.convertToBlob({ type: 'image/png' }));
}
