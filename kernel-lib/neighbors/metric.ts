/**
 * Distances used by the neighbour searches. `euclidean` is the L2 norm; `max` is the L∞
 * (Chebyshev) norm used by the Kraskov–Stögbauer–Grassberger estimators.
 */
export type Metric = 'euclidean' | 'max';

/** Distance between row i of `a` and row j of `b` (both with `d` columns). */
export function distance(a: Float64Array, i: number, b: Float64Array, j: number, d: number, metric: Metric): number {
  const oi = i * d;
  const oj = j * d;
  if (metric === 'max') {
    let m = 0;
    for (let c = 0; c < d; c++) {
      const t = Math.abs(a[oi + c] - b[oj + c]);
      if (t > m) m = t;
    }
    return m;
  }
  let s = 0;
  for (let c = 0; c < d; c++) {
    const t = a[oi + c] - b[oj + c];
    s += t * t;
  }
  return Math.sqrt(s);
}
