/**
 * What the benchmark's child processes are asked to do and what they answer. Each configuration runs
 * in its own process so its peak resident memory (maxRSS) is its own.
 */

/** How the pipeline's photo is prepared for the networks (the Resize to Working Size node). */
export interface Working {
  readonly size: number;
  readonly keepAspect: boolean;
}

export interface PipelineJob {
  readonly modelsDir: string;
  readonly set: string;
  readonly photo: string;
  readonly working: Working;
  /** Untimed runs first (the first loads the models; the next let V8 optimise the TypeScript kernels). */
  readonly warmups: number;
  /** Timed runs after the warm-ups. */
  readonly runs: number;
  /** Where the child writes its JSON answer. */
  readonly out: string;
}

/** Our path: the executor and nodes with onnxruntime-node (cpu), onnxruntime-web's WASM build, or WebGPU kernels. */
export interface OursJob extends PipelineJob {
  readonly runtime: 'cpu' | 'wasm' | 'webgpu';
  /** Intra-op threads for ONNX Runtime (default: the number of cores). */
  readonly threads?: number;
}

/** The PyTorch reference: a checkpoint, or random weights of a named width config. */
export interface TorchJob extends PipelineJob {
  readonly checkpoint?: string;
  readonly config?: 'lite' | 'official';
}

export interface PipelineResult {
  /** e.g. "onnxruntime-node (cpu, 2 threads)" or "torch 1.13.0 (2 threads)". */
  readonly engine: string;
  /** The first warm-up run (includes loading the models and creating sessions), ms. */
  readonly firstMs: number;
  /** Whole-pipeline wall time of each timed run, ms. */
  readonly runsMs: readonly number[];
  /** Each timed run's stage times, ms, keyed by node type without "disco/" (same order as runsMs). */
  readonly runStagesMs: readonly Readonly<Record<string, number>>[];
  /** The stages of the median run (stats.ts medianRun): they add up to that run, stagesRunMs. */
  readonly stagesMs: Readonly<Record<string, number>>;
  /** The median run's whole time, ms (the median of runsMs when their count is odd). */
  readonly stagesRunMs: number;
  /** Peak resident memory of the process, bytes. */
  readonly maxRssBytes: number;
}

export interface OursResult extends PipelineResult {
  /** Reruns after an edit of the user anchors (each a new anchor), ms. */
  readonly editMs: readonly number[];
  /** The stages an anchor edit re-executes. */
  readonly editStages: readonly string[];
  /** A second identical run (every node from the cache), ms. */
  readonly cacheHitMs: readonly number[];
}

export interface SkippedResult {
  readonly skipped: string;
}

/** One engine's batch run over the photos: wall time from starting the command to its exit. */
export interface BatchEngineResult {
  readonly engine: string;
  /** Worker processes (ours); 1 for PyTorch. */
  readonly workers: number;
  readonly wallMs: number;
  readonly photosPerS: number;
  /** PyTorch: each photo's pipeline time, ms (start-up excluded). */
  readonly perPhotoMs?: readonly number[];
}

export interface BatchResult {
  readonly photos: number;
  /** Which photos. */
  readonly set: string;
  /** Ours, one entry per worker count measured (the first is the default). */
  readonly ours: readonly BatchEngineResult[];
  readonly torch: BatchEngineResult | SkippedResult;
}

/** The editor in Chromium on the CPU/WASM path (bench/browser.ts). */
export interface BrowserJob {
  /** The 1024×768 photo. */
  readonly photo: string;
  /** Anchor recolours to time (in the first visit). */
  readonly edits: number;
  /** Visits, each in a fresh browser, whose first results are timed. */
  readonly visits: number;
  readonly out: string;
}

export interface BrowserResult {
  /** e.g. "Chromium 131, ?backend=cpu: CPU kernels + onnxruntime-web WASM, cross-origin isolated". */
  readonly engine: string;
  /** What the top bar says about the backend. */
  readonly backendLabel: string;
  readonly crossOriginIsolated: boolean;
  /** Run clicked (page and photo loaded) to the first result drawn in the viewer, ms: the median of the visits. */
  readonly firstResultMs: number;
  /** Each visit's first result, ms (older result files lack it: one visit). */
  readonly firstResultsMs?: readonly number[];
  /** The first result in a second tab of the first visit's browser (its HTTP cache warm), ms. */
  readonly returningFirstResultMs?: number;
  /** Each anchor recolour: click on the anchor to the new result drawn, ms (the rerun starts when the colour is picked: no delay). */
  readonly editMs: readonly number[];
  /** The run time the editor reports for each edit's rerun, ms. */
  readonly editRunMs: readonly number[];
}
