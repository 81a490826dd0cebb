/**
 * The structures that flow along links. Each has a port-type name (the string on a litegraph slot),
 * so the engine can check connections, size values for the cache and describe them in tooltips.
 */
import type { Tensor } from './tensor.ts';

/** IMAGE: 8-bit RGBA pixels, any size, row-major. */
export interface ImageValue {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray; // width*height*4
  /** Facts about where the image came from, e.g. `{ source: 'photo.jpg', hadColor: true }`. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/**
 * Where the real picture sits inside a working-size tensor. A "keep aspect" resize pads the
 * bottom/right with edge replication; `content` is the un-padded top-left region, in working pixels.
 */
export interface Frame {
  readonly width: number;
  readonly height: number;
}

/** LAB: [1,3,H,W] float Lab (L in 0..100, a and b unscaled), plus the valid region. */
export interface LabValue {
  readonly lab: Tensor;
  readonly content: Frame;
}

/** GRAY: [1,1,H,W] L plane in 0..100, plus the valid region. */
export interface GrayValue {
  readonly L: Tensor;
  readonly content: Frame;
}

/** AFFINITY: DISCO's soft 9-neighbour association map A [1,9,H,W] (softmax over the 9 channels). */
export interface AffinityValue {
  readonly assoc: Tensor;
  /** Superpixel cell size in pixels (16 in DISCO). The token grid is H/cell x W/cell. */
  readonly cell: number;
  /** How it was made, e.g. 'spixelnet' or 'slic'. Informational. */
  readonly method: string;
  /** Where the photo sits in the map (its input's content frame), when known: anchors are placed relative to it. */
  readonly content?: Frame;
}

/** TOKENS: per-superpixel features [1,C,h,w] in row-major token order. */
export interface TokensValue {
  readonly tokens: Tensor;
  readonly cell: number;
  /** Pooled weight mass per superpixel [1,1,h,w] (SP-Pooling's prob_sum), when known. */
  readonly mass?: Tensor;
  /** Pooled normalised ab [1,2,h,w] (P_ab), when an ab image was pooled along. */
  readonly pooledAb?: Tensor;
  /** Where the photo sits in the working image the grid covers (h*cell x w*cell), when known. */
  readonly content?: Frame;
}

/** COLOR_DIST: per-superpixel probabilities over the 313 ab bins, [1,313,h,w]. */
export interface ColorDistValue {
  readonly probs: Tensor;
  readonly cell: number;
}

/** Where an anchor's colour comes from: the model ('auto'), the user, or a reference photo (Reference Colors). */
export type AnchorSource = 'auto' | 'user' | 'reference';

/** The reference superpixel an anchor was matched to (Reference Colors), for the viewer. */
export interface ReferenceMatch {
  /** Token index (row-major) of the matched superpixel on the reference's token grid. */
  readonly token: number;
  /** The reference's token grid. */
  readonly gridH: number;
  readonly gridW: number;
  /** 0..1: how sure the match is; below the node's threshold the anchor keeps the model's colour. */
  readonly confidence: number;
  /** Whether the anchor took the reference colour (confidence reached the threshold). */
  readonly applied: boolean;
  /** The matched token's cell as [x0, y0, x1, y1], normalised (0..1) to the reference photo. */
  readonly box: readonly [number, number, number, number];
}

export interface Anchor {
  /** Token index, row-major on the h x w grid. */
  readonly cell: number;
  /**
   * Normalised photo coordinates (0..1 across the content frame, not the padded working image) of
   * the anchor's superpixel centre (clamped onto the photo), or where the user put it.
   */
  readonly x: number;
  readonly y: number;
  /** Colour in unscaled Lab ab units, once known. */
  readonly ab?: readonly [number, number];
  /** Index of the nearest of the 313 ab bins. */
  readonly bin?: number;
  readonly source: AnchorSource;
  /** A locked anchor keeps its place (and colour, if user-set) when the locator re-runs. */
  readonly locked?: boolean;
  /** k-means cluster this anchor represents, when the locator made it. */
  readonly cluster?: number;
  /**
   * The reference superpixel matched to this anchor (Reference Colors). An automatic anchor that took
   * its colour has source 'reference' (a user anchor without colour stays 'user'); `applied` says
   * whether the colour was taken.
   */
  readonly reference?: ReferenceMatch;
}

/** ANCHORS: the anchor list on a token grid. */
export interface AnchorsValue {
  readonly gridH: number;
  readonly gridW: number;
  readonly anchors: readonly Anchor[];
  /** Per-token k-means cluster label (length gridH*gridW), when the locator made the anchors. */
  readonly clusters?: Int32Array;
  /** Tokens the user took away from the automatic anchors (User Anchors' `remove` entries); Merge Anchors drops those. */
  readonly suppressed?: readonly number[];
}

/** MODEL: one loaded learned stage of a model set. The session handle is the runtime's business. */
export interface ModelValue {
  readonly set: string;
  readonly stage: string;
  readonly file: string;
  readonly sha256: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Opaque handle the ONNX runtime uses to find its session. */
  readonly handle: unknown;
  /** The set's superpixel cell size in pixels (manifest `cell`, 16 for DISCO), when known. */
  readonly cell?: number;
  /** The size the set was trained at (manifest `workingSize`, 256 for DISCO), when known. */
  readonly workingSize?: number;
}
