/**
 * Messages between the UI thread and the engine worker. The UI sends the exec graph plus the image
 * blobs it refers to; the worker answers with per-node events, preview bitmaps and a run summary,
 * which carries the full-size image of the node on view (so the viewer draws a result without asking).
 * The viewer also asks about the last run's values (`inspect`), answered in order after any run.
 */
import type { LoadedModel } from '../../runtime/workflow/model-drift.ts';
import type { NodeEvent } from '../../runtime/engine/events.ts';
import type { AnchorsValue } from '../../runtime/values/types.ts';
import type { ExecGraph } from '../../runtime/workflow/exec-format.ts';
import type { PhotoPixels } from './photo-pixels.ts';

/** Which backend the engine should use: `auto` = WebGPU on a hardware adapter, else CPU + WASM. */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'cpu'];

/** What the engine runs on, and why: the top bar shows it. */
export interface BackendInfo {
  /** What was asked for (the top bar's choice, or `?backend=` in the URL). */
  readonly choice: BackendChoice;
  readonly kind: 'webgpu' | 'cpu';
  /** Short, for the top bar: "WebGPU (NVIDIA …)" or "CPU + WASM (4 threads)". */
  readonly label: string;
  /** Why this backend, one line: "software WebGPU adapter (SwiftShader) would be slower". */
  readonly reason: string;
  /** onnxruntime-web's WASM threads (1 when the page is not cross-origin isolated). */
  readonly threads: number;
  readonly isolated: boolean;
}

export type ToWorker =
  /**
   * First message: where model sets are served (`<page>/models/`) and which backend to use.
   * `ortBinary`: an `ort-binary` message follows (the page preloaded onnxruntime-web's WASM binary).
   */
  | { type: 'init'; modelsUrl: string; backend: BackendChoice; ortBinary: boolean }
  /** onnxruntime-web's WASM-only binary as the page preloaded it, or none if that failed. */
  | { type: 'ort-binary'; bytes?: ArrayBuffer }
  /**
   * The graph uses this model set: create its sessions now (and warm them up), so a Run does not
   * wait for them. Answered once with `models-ready`.
   */
  | { type: 'prepare-models'; set: string }
  /**
   * A photo just chosen, dropped or restored (`key`: its sha256), with its pixels as the UI thread
   * decoded them (photo-pixels.ts): a Run that uses it need not decode it.
   */
  | { type: 'photo'; key: string; blob: Blob; pixels: PhotoPixels }
  /** Destroys the WebGPU device (tests of the device-lost fallback); nothing happens on the CPU backend. */
  | { type: 'lose-device' }
  /**
   * `view`: the node whose full-size image comes back with `finished`. `thumbs`: the nodes whose
   * thumbnail the UI holds, with the value key it shows (a cached node with the same key gets none).
   */
  | { type: 'run'; runId: number; graph: ExecGraph; targets?: string[]; images: Record<string, Blob>; view?: string; thumbs?: Record<string, string> }
  | { type: 'cancel'; runId: number }
  | { type: 'inspect'; reqId: number; query: InspectQuery };

/** What the viewer can ask about a node of the last run. `knownKey`: skip the data if it is still this value. */
export type InspectQuery =
  /** The node's image (its first IMAGE output, or an output node's IMAGE input) at full size. */
  | { kind: 'image'; nodeId: string; knownKey?: string }
  /** An AFFINITY node's hard superpixel labels [H*W] and association map [9*H*W]. */
  | { kind: 'affinity'; nodeId: string; knownKey?: string }
  /** A node's first ANCHORS output. */
  | { kind: 'anchors'; nodeId: string }
  /** The top-10 bins of a node's first COLOR_DIST output, for every superpixel. */
  | { kind: 'topBins'; nodeId: string; knownKey?: string };

export type InspectResult =
  | { kind: InspectQuery['kind']; key: string; unchanged: true }
  | { kind: 'image'; key: string; unchanged?: undefined; bitmap: ImageBitmap; width: number; height: number }
  /** `content`: the un-padded top-left region of H x W the photo fills (Keep Aspect pads the rest), when known. */
  | { kind: 'affinity'; key: string; unchanged?: undefined; H: number; W: number; cell: number; labels: Int32Array; assoc: Float32Array; content?: { width: number; height: number } }
  | { kind: 'anchors'; key: string; unchanged?: undefined; value: AnchorsValue }
  /** bins and probs are [k, h, w] (row-major per rank): rank r of token t at r*h*w + t. */
  | { kind: 'topBins'; key: string; unchanged?: undefined; h: number; w: number; k: number; bins: Int32Array; probs: Float32Array };

/** A node's image at full size, as a run or an inspect delivers it (the bitmap is transferred). */
export interface NodeImage {
  readonly nodeId: string;
  /** The value's cache key. */
  readonly key: string;
  readonly bitmap: ImageBitmap;
  readonly width: number;
  readonly height: number;
}

export interface RunSummary {
  readonly ok: boolean;
  readonly cancelled: boolean;
  /** A run-level failure (invalid graph, unknown target); node errors come as events. */
  readonly error?: string;
  readonly executed: number;
  readonly cached: number;
  readonly ms: number;
  /** The model files the run loaded (set, stage, file, sha256), to compare with the workflow's record. */
  readonly models?: readonly LoadedModel[];
  /** ONNX sessions created while the run went on (0 when its model sets were prepared ahead). */
  readonly sessionsCreated?: number;
  /** Photos the run had to decode itself (0 when they came decoded from the UI thread). */
  readonly photosDecoded?: number;
}

export type FromWorker =
  /** `backend`: the label; `fallbackReason`: why WebGPU is not used (CPU backend only). */
  | { type: 'ready'; backend: string; fallbackReason?: string; info: BackendInfo }
  /** The WebGPU device was lost; the worker now runs on the CPU backend (`ort`: the model runtime it uses). */
  | { type: 'device-lost'; reason: string; ort?: string }
  /** A `prepare-models` finished: the set's sessions exist (`ms` after the request), or `error` says why not. */
  | { type: 'models-ready'; set: string; ms: number; error?: string }
  | { type: 'event'; runId: number; event: NodeEvent }
  /** `key`: the value's cache key, when known (the UI sends it back in `thumbs`). */
  | { type: 'preview'; runId: number; nodeId: string; key?: string; bitmap: ImageBitmap; width: number; height: number }
  /** `image`: the run's image of the node asked for as `view`, if the run produced one. */
  | { type: 'finished'; runId: number; summary: RunSummary; image?: NodeImage }
  | { type: 'inspected'; reqId: number; result?: InspectResult; error?: string };
