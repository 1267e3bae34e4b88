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

/**
 * For large k the sorted insertion costs O(k) per accepted candidate; a binary max-heap costs
 * O(log k). `dist[0..k)` is a max-heap (all +∞ initially is one); `dist[0]` is the current k-th
 * smallest. Replaces the root by `value` (the caller has checked `value < dist[0]`) and sifts down.
 */
export function heapReplaceTop(dist: Float64Array, idx: Int32Array | null, k: number, value: number, index: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= k) break;
    const r = l + 1;
    const c = r < k && dist[r] > dist[l] ? r : l;
    if (dist[c] <= value) break;
    dist[i] = dist[c];
    if (idx) idx[i] = idx[c];
    i = c;
  }
  dist[i] = value;
  if (idx) idx[i] = index;
}

/** Turns the max-heap `dist[0..k)` (and `idx`) into ascending order in place (heap sort). */
export function heapToSorted(dist: Float64Array, idx: Int32Array | null, k: number): void {
  for (let end = k - 1; end > 0; end--) {
    const v = dist[end];
    const vi = idx ? idx[end] : 0;
    dist[end] = dist[0];
    if (idx) idx[end] = idx[0];
    heapReplaceTop(dist, idx, end, v, vi);
  }
}
