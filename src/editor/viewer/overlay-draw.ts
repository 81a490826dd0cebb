/**
 * Raster overlays at the association map's size (the viewer scales them over the photo): superpixel
 * boundaries from the hard labels, and each superpixel tinted by its k-means cluster.
 */
export interface LabelMap {
  readonly W: number;
  readonly H: number;
  /** Token index per pixel, row-major [H*W]. */
  readonly labels: Int32Array;
}

const BOUNDARY: readonly [number, number, number, number] = [255, 230, 0, 170];
/** Distinct hues for up to 14 clusters (the locator's maximum k). */
const CLUSTER_RGB = [
  [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48], [145, 30, 180], [70, 240, 240],
  [240, 50, 230], [210, 245, 60], [250, 190, 212], [0, 128, 128], [220, 190, 255], [170, 110, 40], [128, 0, 0],
];

export function clusterColor(c: number): string {
  const [r, g, b] = CLUSTER_RGB[((c % CLUSTER_RGB.length) + CLUSTER_RGB.length) % CLUSTER_RGB.length];
  return `rgb(${r},${g},${b})`;
}

/** RGBA pixels [H*W*4] of the enabled overlays; transparent elsewhere. */
export function overlayPixels(m: LabelMap, opts: { boundaries: boolean; clusters?: Int32Array }): Uint8ClampedArray {
  const { W, H, labels } = m;
  const out = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = y * W + x;
      const l = labels[p];
      const o = 4 * p;
      if (opts.clusters) {
        const [r, g, b] = CLUSTER_RGB[opts.clusters[l] % CLUSTER_RGB.length] ?? [128, 128, 128];
        out.set([r, g, b, 100], o);
      }
      if (opts.boundaries && ((x + 1 < W && labels[p + 1] !== l) || (y + 1 < H && labels[p + W] !== l))) out.set(BOUNDARY, o);
    }
  }
  return out;
}

const REGION_EDGE: readonly [number, number, number, number] = [255, 213, 79, 255];

/**
 * One superpixel picked out (the reference view's matched region): everything else dimmed, the
 * region clear with a bright edge along its border. RGBA [H*W*4], drawn over the picture.
 */
export function regionPixels(m: LabelMap, token: number): Uint8ClampedArray {
  const { W, H, labels } = m;
  const out = new Uint8ClampedArray(W * H * 4);
  const inside = (x: number, y: number) => x >= 0 && x < W && y >= 0 && y < H && labels[y * W + x] === token;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = 4 * (y * W + x);
      if (!inside(x, y)) out.set([0, 0, 0, 160], o);
      else if (!inside(x - 1, y) || !inside(x + 1, y) || !inside(x, y - 1) || !inside(x, y + 1)) out.set(REGION_EDGE, o);
    }
  }
  return out;
}
