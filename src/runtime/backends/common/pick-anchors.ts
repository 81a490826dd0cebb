/**
 * One anchor per k-means cluster (docs/disco-method.md §9): the token maximising [label = c] + 0.01 * size, i.e. the
 * member with the largest superpixel, first index on ties. An empty final cluster therefore picks
 * the largest superpixel of the image, which may be another cluster's anchor: the hint mask M is the
 * sum of the k one-hot choices, so it is 2 there. Arithmetic in float32 like the reference.
 */
const f = Math.fround;
const ONE_PERCENT = f(0.01);

export function pickAnchors(labels: Int32Array, sizes: Float32Array | Int32Array, k: number): { cells: Int32Array; mask: Float32Array } {
  const n = labels.length;
  if (sizes.length !== n) throw new Error(`anchor picking: ${sizes.length} superpixel sizes for ${n} tokens`);
  const cells = new Int32Array(k);
  const mask = new Float32Array(n);
  for (let c = 0; c < k; c++) {
    let best = -Infinity;
    let cell = 0;
    for (let t = 0; t < n; t++) {
      const v = f((labels[t] === c ? 1 : 0) + f(sizes[t] * ONE_PERCENT));
      if (v > best) {
        best = v;
        cell = t;
      }
    }
    cells[c] = cell;
    mask[cell] += 1;
  }
  return { cells, mask };
}
