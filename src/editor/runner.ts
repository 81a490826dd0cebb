/**
 * Runs: the canvas's graph becomes an exec graph, the photos its image parameters name are read from
 * storage, and the worker runs it; afterwards the viewer fetches what changed. Anchor edits schedule
 * a rerun 400 ms later (a burst of edits makes one run) when auto-run is on.
 */
import { modelDrift } from '../runtime/workflow/model-drift.ts';
import type { DiscoModelRef } from '../runtime/workflow/schema.ts';
import type { GraphCanvas } from './graph/graph-canvas.ts';
import type { StatusBoard } from './graph/node-status.ts';
import { graphToExec } from './graph/workflow-io.ts';
import type { ChangeTracker } from './history/change-tracker.ts';
import { toast } from './panels/toast.ts';
import type { Topbar } from './panels/topbar.ts';
import { loadPhoto } from './storage/idb.ts';
import type { EngineClient } from './worker/engine-client.ts';
import type { RunSummary } from './worker/protocol.ts';
import type { NodeRegistry } from '../runtime/engine/registry.ts';
import { imageParam } from '../runtime/engine/roles.ts';
import type { ExecGraph } from '../runtime/workflow/exec-format.ts';

export interface RunHost {
  readonly view: GraphCanvas;
  readonly registry: NodeRegistry;
  readonly tracker: ChangeTracker;
  readonly status: StatusBoard;
  readonly topbar: Topbar;
  readonly engine: EngineClient;
  /** After a run that was not cancelled: the viewer refreshes. */
  afterRun(): Promise<void>;
}

export class Runner {
  private rerunTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ed: RunHost) {}

  /**
   * Runs the whole graph, or only what `targets` need; resolves with the summary (undefined: nothing
   * to run). `edit` may change the exec graph on its way to the worker (the canvas stays as it is).
   */
  async run(targets?: string[], edit?: (g: ExecGraph) => void): Promise<RunSummary | undefined> {
    const { view, registry, status, topbar, engine } = this.ed;
    clearTimeout(this.rerunTimer);
    this.ed.tracker.check();
    const { graph, missingTypes } = graphToExec(view.graph, registry);
    if (missingTypes.length) toast(`Skipping nodes of unknown types: ${missingTypes.join(', ')}`, 'error');
    if (!Object.keys(graph).length) return void toast('Nothing to run: add some nodes first.');
    edit?.(graph);
    const images: Record<string, Blob> = {};
    for (const node of Object.values(graph)) {
      const param = imageParam(registry.get(node.type));
      const key = param ? node.inputs[param] : undefined;
      if (typeof key === 'string' && key && !images[key]) {
        const blob = await loadPhoto(key);
        if (blob) images[key] = blob;
      }
    }
    status.clearStates();
    topbar.setRunning(true);
    topbar.setStatus('Running…');
    const summary = await engine.run(graph, images, targets);
    // Weights other than the ones the workflow was made with (its extra.disco.models): say so.
    const recorded = (view.graph.extra as { disco?: { models?: DiscoModelRef[] } } | undefined)?.disco?.models;
    for (const w of modelDrift(recorded, summary.models ?? [])) toast(`Other model weights: ${w}`, 'error', 15_000);
    if (!summary.cancelled) await this.ed.afterRun();
    return summary;
  }

  /** After an anchor edit: rerun in 400 ms (a burst of edits makes one run) if auto-run is on. */
  scheduleRerun(): void {
    clearTimeout(this.rerunTimer);
    if (this.ed.topbar.autoRun.checked) this.rerunTimer = setTimeout(() => void this.run(), 400);
  }
}
