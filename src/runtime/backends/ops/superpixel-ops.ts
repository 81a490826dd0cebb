/**
 * Superpixel operations (docs/disco-method.md §6 plus the training-free stages). Tensors are NCHW. An association
 * map A is [1,9,H,W] on a grid of `cell` x `cell` pixel cells (h = H/cell rows, w = W/cell columns);
 * channel k links a pixel to the cell at offset (k div 3 - 1, k mod 3 - 1) from its own cell, and
 * links to cells outside the grid are dropped. Tokens are [1,C,h,w] in row-major token order.
 * WebGPU implementations return GPU tensors; only ops that return an ImageValue read back.
 */
import { assertShape, type Tensor } from '../../values/tensor.ts';
import type { ImageValue } from '../../values/types.ts';

export interface SpPoolResult {
  /** [1,C,h,w]: num / (den + 1e-8), both sums scaled by 1/cell^2 first (docs/disco-method.md §6). */
  readonly pooled: Tensor;
  /** [1,1,h,w]: den, the association mass per superpixel divided by cell^2 (prob_sum, docs/disco-method.md §6). */
  readonly mass: Tensor;
}

export interface SlicOptions {
  /** Cell size in pixels; H and W must be multiples of it. */
  readonly cell: number;
  /** Association steps (>= 1); a centre update runs between consecutive steps. */
  readonly iterations: number;
  /** SLIC's m: Lab units that one cell of spatial distance is worth (10 = SLIC's usual value). */
  readonly compactness: number;
}

/** A fixed colour on one superpixel. */
export interface ColorSeed {
  /** Token index, row-major on the h x w grid. */
  readonly cell: number;
  /** Unscaled Lab ab. */
  readonly ab: readonly [number, number];
}

export interface PropagateOptions {
  /** Feature distance scale: neighbour weight w_ij = exp(-||t_i - t_j||^2 / sigma^2). */
  readonly sigma: number;
  /** Jacobi sweeps over the token grid (0 = just the feature-space initial guess). */
  readonly iterations: number;
}

export interface SuperpixelOps {
  /** SP-Pooling (docs/disco-method.md §6): x [1,C,H,W], A [1,9,H,W] -> tokens [1,C,h,w] and mass [1,1,h,w]. */
  spPool(x: Tensor, assoc: Tensor, cell: number): Promise<SpPoolResult>;
  /** SP-Diffusion (docs/disco-method.md §6): tokens [1,C,h,w] -> [1,C,H,W], sum over k = 0..8 in order, not renormalised. */
  spDiffuse(tokens: Tensor, assoc: Tensor, cell: number): Promise<Tensor>;
  /** Superpixel sizes [1,1,h,w] (docs/disco-method.md §6): pixels whose maximal channel (all if tied) points at j, / cell^2. */
  spSizes(assoc: Tensor, cell: number): Promise<Tensor>;
  /**
   * Hard superpixel labels, int32 [1,1,H,W]: each pixel's token index is its strongest in-grid
   * neighbour cell (the lowest k on ties). Out-of-grid channels are ignored, unlike spSizes.
   */
  hardLabels(assoc: Tensor, cell: number): Promise<Tensor>;
  /**
   * Training-free association map (soft SLIC, as SSN's differentiable SLIC) from Lab [1,3,H,W]:
   * features f = [L, a, b, m*y/cell, m*x/cell] / 10; centres start as cell means; each step sets
   * A_k(p) = softmax over in-grid k of -||f(p) - centre_k||^2 (0 out of grid), then centres =
   * spPool(f, A). Returns A [1,9,H,W].
   */
  slicAffinity(lab: Tensor, opts: SlicOptions): Promise<Tensor>;
  /**
   * Spreads seed colours over the token grid: tokens [1,C,h,w] (any features) -> normalised ab
   * (ab/110) [1,2,h,w]. Seeds are hard constraints (the first seed wins on a shared cell). Start:
   * per token a feature-space Gaussian mix of the seed colours; then Jacobi sweeps of the graph
   * Laplacian on the 8-neighbour grid (x_i = sum_j w_ij x_j / sum_j w_ij, kept when sum_j w_ij < 1e-12).
   */
  propagateSeeds(tokens: Tensor, seeds: readonly ColorSeed[], opts: PropagateOptions): Promise<Tensor>;
  /**
   * The image with hard-label boundaries drawn in `rgb` (default OVERLAY_RGB): labels (hardLabels at the map's size) are
   * upsampled nearest to the image size; a pixel is drawn when its label differs from the pixel to
   * its right or below. Reads back on WebGPU (an ImageValue lives on the CPU).
   */
  superpixelOverlay(image: ImageValue, assoc: Tensor, cell: number, rgb?: readonly [number, number, number]): Promise<ImageValue>;
}

/** The grid an association map defines. */
export interface SpGrid {
  readonly H: number;
  readonly W: number;
  readonly h: number;
  readonly w: number;
  readonly cell: number;
}

/** Checks A is [1,9,H,W] with H, W multiples of `cell`, and returns the grid. */
export function spGrid(assoc: Tensor, cell: number, what = 'association map'): SpGrid {
  assertShape(assoc, [1, 9, null, null], what);
  if (assoc.dtype !== 'float32') throw new Error(`${what}: expected float32, got ${assoc.dtype}`);
  return gridOf(assoc.shape[2], assoc.shape[3], cell, what);
}

export function gridOf(H: number, W: number, cell: number, what: string): SpGrid {
  if (!Number.isInteger(cell) || cell < 1) throw new Error(`${what}: cell size must be a positive whole number, got ${cell}`);
  if (H % cell !== 0 || W % cell !== 0) throw new Error(`${what}: size ${W}x${H} is not a multiple of the cell size ${cell}`);
  return { H, W, h: H / cell, w: W / cell, cell };
}

/** Checks tokens are [1,C,h,w] on the grid `g`; returns C. */
export function tokenChannels(tokens: Tensor, g: SpGrid, what = 'tokens'): number {
  assertShape(tokens, [1, null, g.h, g.w], `${what} (grid ${g.h}x${g.w})`);
  if (tokens.dtype !== 'float32') throw new Error(`${what}: expected float32, got ${tokens.dtype}`);
  return tokens.shape[1];
}

/** Checks a pixel tensor is [1,C,H,W] at the map's size; returns C. */
export function pixelChannels(x: Tensor, g: SpGrid, what: string): number {
  assertShape(x, [1, null, g.H, g.W], what);
  if (x.dtype !== 'float32') throw new Error(`${what}: expected float32, got ${x.dtype}`);
  return x.shape[1];
}

/** Checks seeds against an h x w grid and orders them into a per-token index (-1 = free). */
export function seedIndex(seeds: readonly ColorSeed[], h: number, w: number): Int32Array {
  if (seeds.length === 0) throw new Error('colour propagation needs at least one anchor with a colour, got none');
  const fixed = new Int32Array(h * w).fill(-1);
  seeds.forEach((s, i) => {
    if (!Number.isInteger(s.cell) || s.cell < 0 || s.cell >= h * w) {
      throw new Error(`anchor ${i}: cell ${s.cell} is outside the ${h}x${w} token grid`);
    }
    if (!s.ab.every(Number.isFinite)) throw new Error(`anchor ${i}: colour (${s.ab.join(', ')}) is not finite`);
    if (fixed[s.cell] < 0) fixed[s.cell] = i;
  });
  return fixed;
}

/** Neighbour offset of channel k (docs/disco-method.md §0). */
export const kOffset = (k: number): [number, number] => [Math.floor(k / 3) - 1, (k % 3) - 1];

/** Default boundary colour of superpixelOverlay (yellow). */
export const OVERLAY_RGB: readonly [number, number, number] = [255, 230, 0];

/** Lab units per feature unit in slicAffinity (so SLIC distances come out of order 1). */
export const SLIC_COLOR_UNIT = 10;
