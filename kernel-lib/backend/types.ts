import type { Matrix } from '../core/matrix.js';
import type { Metric } from '../neighbors/metric.js';

export type { Metric };

export interface NeighborOptions {
  readonly metric: Metric;
  /**
   * Row i of `query` is row i of `ref` (the same sample, or `query` holds the first rows of `ref`):
   * query row i never counts reference row i as a neighbour. Other rows at distance 0 (duplicates)
   * do count.
   */
  readonly excludeSelf: boolean;
}

export interface RadiusOptions extends NeighborOptions {
  /** Count distances < radius (true) or ≤ radius (false). */
  readonly strict: boolean;
}

/**
 * The one seam between the exact float64 CPU path and the gpu.js path. Every bulk reduction the
 * estimators need has this signature on both; `backend/index.ts` is the only place that chooses.
 */
export interface Backend {
  readonly name: 'cpu' | 'gpu';
  /** For each query row, the distance to its k-th nearest reference row (n values). */
  kthNeighborDistance(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions): Float64Array;
  /** For each query row i, #{j : dist(query_i, ref_j) < radius[i]} (strict) or ≤ radius[i]. */
  countWithinRadius(query: Matrix, ref: Matrix, radius: Float64Array, opts: RadiusOptions): Int32Array;
  /** Dense query.rows × ref.rows distance matrix (row-major). */
  pairwiseDistances(query: Matrix, ref: Matrix, metric: Metric): Float64Array;
  /**
   * The k nearest reference rows of each query row: ascending distances and their row indices
   * (n×k each, row-major). Index output is a CPU reduction on both paths.
   */
  kNearest(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions): { distances: Float64Array; indices: Int32Array };
}
