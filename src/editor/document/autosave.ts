/**
 * Autosave: the graph is written to browser storage right after each change (a crash or a killed tab
 * must not lose the last edit), in the next task, so a rerun the change started is on its way to the
 * worker first. Writes never overlap; changes made during one are written next. On start the saved
 * graph comes back, without an undo step.
 */
import type { GraphCanvas } from '../graph/graph-canvas.ts';
import { loadIntoGraph, workflowText } from '../graph/workflow-io.ts';
import type { ChangeTracker } from '../history/change-tracker.ts';
import { toast } from '../panels/toast.ts';
import { idbGet, idbPut } from '../storage/idb.ts';
import type { NodeRegistry } from '../../runtime/engine/registry.ts';

export interface AutosaveHost {
  readonly view: GraphCanvas;
  readonly registry: NodeRegistry;
  readonly tracker: ChangeTracker;
  /** After a restore: the viewer's anchors and the photo thumbnails. */
  restored(): Promise<void>;
}

export class Autosave {
  private writing = false;
  private again = false;

  /** `key`: where the graph is kept; null turns autosave and restore off (embeds). */
  constructor(private readonly key: string | null, private readonly ed: AutosaveHost) {}

  write(): void {
    const key = this.key;
    if (key === null) return;
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = true;
    new Promise((resolve) => setTimeout(resolve))
      .then(() => idbPut('state', key, workflowText(this.ed.view.graph, this.ed.registry)))
      .catch((e) => toast(`Autosave failed: ${(e as Error).message}`, 'error'))
      .finally(() => {
        this.writing = false;
        if (this.again) {
          this.again = false;
          this.write();
        }
      });
  }

  async restore(): Promise<void> {
    const text = this.key === null ? undefined : await idbGet<string>('state', this.key).catch(() => undefined);
    if (!text) return;
    try {
      loadIntoGraph(this.ed.view.graph, text, this.ed.registry);
      this.ed.tracker.reset();
      await this.ed.restored();
    } catch (e) {
      toast(`The autosaved graph could not be restored: ${(e as Error).message}`, 'error', 8000);
    }
    this.ed.view.redraw();
  }
}
