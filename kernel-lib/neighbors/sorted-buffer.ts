/**
 * Inserts `value` (with its index) into the ascending buffer `dist[0..k)` (and `idx`), dropping the
 * largest entry — the k-smallest selection every neighbour search here uses (k is small, so an
 * insertion step beats a heap). The caller has checked `value < dist[k − 1]`.
 */
export function insertSorted(dist: Float64Array, idx: Int32Array | null, k: number, value: number, index: number): void {
  let r = k - 1;
  while (r > 0 && dist[r - 1] > value) {
    dist[r] = dist[r - 1];
    if (idx) idx[r] = idx[r - 1];
    r--;
  }
  dist[r] = value;
  if (idx) idx[r] = index;
}
