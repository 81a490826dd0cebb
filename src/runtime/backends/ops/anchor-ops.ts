/**
 * Anchor operations (docs/disco-method.md §7, §9): the position encoding of a token grid, DISCO's k-means anchor
 * locator and its assignment step. See ../backend.ts.
 */
import type { Tensor } from '../../values/tensor.ts';

export interface KMeansOptions {
  /** Number of clusters (= anchors). */
  readonly k: number;
  /** numpy legacy seed set right before the initial draw (the web demo uses 1, the script 130). */
  readonly seed: number;
  /** Lloyd iterations at most (the reference uses 20). */
  readonly maxIterations?: number;
  /** Stop when (sum of centre shifts)^2 < tol (reference 1e-4). */
  readonly tol?: number;
  /**
   * 'reference': initial centres = tokens at numpy `choice(n, k, replace=False)` after seed(seed),
   * exactly as the official code. 'kmeans++': D²-weighted seeding from the same generator.
   */
  readonly init?: 'reference' | 'kmeans++';
  /**
   * Token indices to use, in order, when a cluster becomes empty. The reference draws them with
   * torch's RNG, which cannot be reproduced outside PyTorch; recorded draws (the vectors'
   * `empty_draws`) replay it. When they run out, draws continue from the seeded MT19937.
   */
  readonly emptyDraws?: readonly number[];
}

export interface KMeansResult {
  /** Cluster of each token (row-major), from the last assignment step. */
  readonly labels: Int32Array;
  /** k x C centres after the last update, row per centre. */
  readonly centres: Float32Array;
  /** Lloyd iterations run (each = assign + update). */
  readonly iterations: number;
  /** Token indices of the initial centres. */
  readonly initIndices: Int32Array;
  /** Token indices that refilled empty clusters, in order. */
  readonly emptyDraws: readonly number[];
}

export interface AnchorLocation extends KMeansResult {
  /** Anchor token per cluster: the member with the largest superpixel (first index on ties). */
  readonly cells: Int32Array;
  /** Hint mask M per token: the sum of the k one-hot choices (2 where two clusters pick one cell). */
  readonly mask: Float32Array;
}

export interface AnchorOps {
  /** Sine position encoding [1,64,h,w] of an h x w token grid (docs/disco-method.md §7). */
  positionEncoding(h: number, w: number): Promise<Tensor>;
  /**
   * The k-means assignment step: for tokens [1,C,h,w] and centres [K,C], the index of the nearest
   * centre (squared Euclidean, first index on ties) per token, as int32 [h*w].
   */
  kmeansAssign(tokens: Tensor, centres: Tensor): Promise<Tensor>;
  /** DISCO's k-means on tokens [1,C,h,w] (docs/disco-method.md §9). Results are small and returned on the CPU. */
  kmeans(tokens: Tensor, opts: KMeansOptions): Promise<KMeansResult>;
  /** k-means, then one anchor per cluster using superpixel sizes [1,1,h,w] (docs/disco-method.md §9). */
  locateAnchors(tokens: Tensor, sizes: Tensor, opts: KMeansOptions): Promise<AnchorLocation>;
}
