/**
 * Everything a node may touch while it runs. Nodes get no other handle on the world: this keeps
 * them pure and lets the same node run in the browser worker, the CLI and tests.
 */
import type { Backend } from '../backends/backend.ts';
import type { ImageValue, ModelValue } from '../values/types.ts';
import type { Tensor } from '../values/tensor.ts';

/** The host's image source: files in the CLI, stored blobs in the browser. */
export interface HostIO {
  /** Decodes the image a Load Image node refers to (a path in the CLI, a blob key in the browser). */
  loadImage(ref: string): Promise<ImageValue>;
  /** A content hash of what `ref` names, so a changed file misses the cache. */
  fingerprint(ref: string): Promise<string>;
}

/** The learned stages: model sets on disk (CLI) or fetched (browser), run by onnxruntime. */
export interface ModelHost {
  /**
   * Loads (once) one stage of a model set and returns a handle for it. Pass the run's signal as `run`:
   * the calls of one run then read the set's manifest once.
   */
  load(set: string, stage: string, run?: AbortSignal): Promise<ModelValue>;
  /** Runs a loaded stage. Inputs and outputs are named as in the set's manifest. */
  run(model: ModelValue, feeds: Record<string, Tensor>, signal?: AbortSignal): Promise<Record<string, Tensor>>;
  /** Names of the model sets this host can load. */
  listSets(): Promise<string[]>;
  /**
   * Facts about a set read from its manifest alone (no model file is read): per-stage file and
   * sha256, e.g. for cache fingerprints. Optional: hosts without manifests may leave it out. `run`
   * as for `load`.
   */
  describeSet?(set: string, run?: AbortSignal): Promise<ModelSetInfo>;
}

export interface ModelSetInfo {
  readonly name: string;
  readonly cell: number;
  readonly workingSize: number;
  readonly stages: Readonly<Record<string, { readonly file: string; readonly sha256: string }>>;
}

export interface ExecContext {
  readonly nodeId: string;
  readonly backend: Backend;
  readonly models: ModelHost;
  readonly io: HostIO;
  readonly signal: AbortSignal;
  /** Reports progress within this node (done of total). */
  progress(done: number, total: number): void;
  /** A note for the user that is not an error (e.g. "the photo had colour; its gray version is used"). */
  warn(message: string): void;
}

/** A host that has no models: nodes that need one fail with a clear message. */
export const noModels: ModelHost = {
  async load(set, stage) {
    throw new Error(`no model host is configured, so model set "${set}" (stage ${stage}) cannot be loaded`);
  },
  async run() {
    throw new Error('no model host is configured');
  },
  async listSets() {
    return [];
  },
};
