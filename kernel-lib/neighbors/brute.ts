import type { Matrix } from '../core/matrix.js';
import type { Metric } from './metric.js';
import { distance } from './metric.js';
import { insertSorted } from './sorted-buffer.js';

/**
 * Exact brute-force neighbour reductions in float64, O(n·m·d): the reference the kd-tree and the
 * gpu.js kernels are tested against, and the CPU choice in high dimension where trees degrade.
 */

/** Ascending distances (and original indices) to the k nearest rows of `ref` for each row of `query`. */
export function bruteKnn(query: Matrix, ref: Matrix, k: number, metric: Metric, skipSelf: boolean, outDist: Float64Array, outIdx?: Int32Array): void {
  const d = query.cols;
  const hd = new Float64Array(k);
  const hi = new Int32Array(k);
  for (let i = 0; i < query.rows; i++) {
    hd.fill(Infinity);
    hi.fill(-1);
    for (let j = 0; j < ref.rows; j++) {
      if (skipSelf && j === i) continue;
      const dist = distance(query.data, i, ref.data, j, d, metric);
      if (dist < hd[k - 1]) insertSorted(hd, hi, k, dist, j);
    }
    outDist.set(hd, i * k);
    if (outIdx) outIdx.set(hi, i * k);
  }
}

/** Number of rows of `ref` within radius[i] of query row i (strict < or ≤), optionally skipping j = i. */
export function bruteCount(query: Matrix, ref: Matrix, radius: Float64Array, metric: Metric, strict: boolean, skipSelf: boolean, out: Int32Array): void {
  const d = query.cols;
  for (let i = 0; i < query.rows; i++) {
    const r = radius[i];
    let c = 0;
    for (let j = 0; j < ref.rows; j++) {
      if (skipSelf && j === i) continue;
      const dist = distance(query.data, i, ref.data, j, d, metric);
      if (strict ? dist < r : dist <= r) c++;
    }
    out[i] = c;
  }
}

/**
 * Dense distance matrix, n×m row-major. The metric is hoisted out of the loops and the query row is
 * held in a local array, so the inner loop is a plain float64 difference-and-sum over the reference
 * row (the same operations, in the same order, as {@link distance}).
 */
export function brutePairwise(a: Matrix, b: Matrix, metric: Metric): Float64Array {
  const d = a.cols;
  const m = b.rows;
  const out = new Float64Array(a.rows * m);
  const bd = b.data;
  const qi = new Float64Array(d);
  for (let i = 0; i < a.rows; i++) {
    qi.set(a.data.subarray(i * d, (i + 1) * d));
    const o = i * m;
    if (metric === 'max') {
      for (let j = 0; j < m; j++) {
        const jo = j * d;
        let mx = 0;
        for (let c = 0; c < d; c++) {
          const t = Math.abs(qi[c] - bd[jo + c]);
          if (t > mx) mx = t;
        }
        out[o + j] = mx;
      }
    } else {
      for (let j = 0; j < m; j++) {
        const jo = j * d;
        let s = 0;
        for (let c = 0; c < d; c++) {
          const t = qi[c] - bd[jo + c];
          s += t * t;
        }
        out[o + j] = Math.sqrt(s);
      }
    }
  }
  return out;
}
