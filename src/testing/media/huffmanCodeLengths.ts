/**
 * Computes Huffman code lengths for a histogram, limited to `maxLength` bits. Symbols with count 0
 * get length 0. A lone used symbol gets length 1. When the optimal tree is too deep, small counts
 * are raised to a doubling floor and the tree rebuilt (libwebp's approach), so the result is
 * always a complete prefix code (Kraft sum exactly 1) when two or more symbols are used.
 * @param histogram Count per symbol (non-negative).
 * @param maxLength Longest allowed code, e.g. 15 for VP8L symbols, 7 for its code-length code.
 * @throws RangeError when more symbols are used than `2 ** maxLength` codes can hold.
 * @example huffmanCodeLengths([5, 0, 1, 1], 15); // Uint8Array [1, 0, 2, 2]
 */
export function huffmanCodeLengths(histogram: ArrayLike<number>, maxLength: number): Uint8Array {
  const lengths = new Uint8Array(histogram.length);
  const used: number[] = [];
  for (let s = 0; s < histogram.length; s++) if (histogram[s] > 0) used.push(s);
  if (used.length === 0) return lengths;
  if (used.length === 1) {
    lengths[used[0]] = 1;
    return lengths;
  }
  if (used.length > 2 ** maxLength) throw new RangeError(`${used.length} symbols do not fit in ${maxLength}-bit codes`);
  for (let floor = 1; ; floor *= 2) {
    const depths = treeDepths(used.map((s) => Math.max(histogram[s], floor)));
    if (Math.max(...depths) <= maxLength) {
      used.forEach((s, i) => (lengths[s] = depths[i]));
      return lengths;
    }
  }
}

/** Leaf depths of a Huffman tree over `weights` (at least 2), in input order. Two-queue construction. */
function treeDepths(weights: number[]): number[] {
  const leaves = weights.map((_, i) => i).sort((a, b) => weights[a] - weights[b] || a - b);
  const m = leaves.length;
  const weight = new Float64Array(2 * m - 1); // nodes 0..m-1: leaves in sorted order; then internal nodes
  const parent = new Int32Array(2 * m - 1);
  leaves.forEach((leaf, i) => (weight[i] = weights[leaf]));
  let nextLeaf = 0;
  let nextInner = m;
  const takeSmallest = (created: number): number =>
    nextLeaf < m && (nextInner >= created || weight[nextLeaf] <= weight[nextInner]) ? nextLeaf++ : nextInner++;
  for (let created = m; created < 2 * m - 1; created++) {
    const a = takeSmallest(created);
    const b = takeSmallest(created);
    weight[created] = weight[a] + weight[b];
    parent[a] = parent[b] = created;
  }
  const depth = new Int32Array(2 * m - 1);
  for (let node = 2 * m - 3; node >= 0; node--) depth[node] = depth[parent[node]] + 1;
  const result = new Array<number>(m);
  leaves.forEach((leaf, i) => (result[leaf] = depth[i]));
  return result;
}
