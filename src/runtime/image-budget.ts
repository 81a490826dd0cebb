/**
 * How much memory a run needs for a photo of a given size, estimated before anything is decoded, so
 * a huge photo is refused with a message instead of crashing the process (or the tab) half way.
 *
 * Only the full-size values grow with the photo: the decoded RGBA (4 B/px), its gray version (4),
 * Lab at full size (12), the upsampled ab and the recombined RGBA (12), the encoder's copy (4), plus
 * the decoder's and cache's working copies. Measured with `disco run workflows/user-guided.json`
 * (peak RSS minus the 64x48 baseline): 47 B/px at 3 MP, 47 B/px at 12 MP. The working-size stages
 * (256 x 256) add a constant.
 */
export const BYTES_PER_PIXEL = 48;

/** 19.2 GB, 640 MB: decimal units, as the --max-memory option takes them (MB). */
const show = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.ceil(bytes / 1e6)} MB`);

/** Estimated peak bytes for one run on a width x height photo. */
export function estimateRunBytes(width: number, height: number): number {
  return width * height * BYTES_PER_PIXEL;
}

/**
 * Why a width x height photo cannot be run within `budgetBytes`, or undefined if it can. The message
 * gives the numbers and what to do; `name` (the file) starts it.
 */
export function memoryBudgetProblem(name: string, width: number, height: number, budgetBytes: number): string | undefined {
  const need = estimateRunBytes(width, height);
  if (need <= budgetBytes) return undefined;
  const maxPixels = Math.floor(budgetBytes / BYTES_PER_PIXEL);
  return `${name}: ${width}x${height} needs about ${show(need)} to colourise (${BYTES_PER_PIXEL} bytes per pixel), ` +
    `above the memory budget of ${show(budgetBytes)} (about ${(maxPixels / 1e6).toFixed(1)} megapixels); downscale it first or raise --max-memory`;
}
