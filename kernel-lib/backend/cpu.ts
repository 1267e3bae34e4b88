import type { Matrix } from '../core/matrix.js';
import { KdTree } from '../neighbors/kdtree.js';
import { bruteCount, bruteKnn, brutePairwise } from '../neighbors/brute.js';
import type { Backend, Metric, NeighborOptions, RadiusOptions } from './types.js';

/**
 * The exact float64 CPU path: a kd-tree in low dimension (where it is sub-quadratic), brute force
 * above {@link TREE_MAX_DIM} dimensions or for tiny reference sets.
 */
export const TREE_MAX_DIM = 16;
const TREE_MIN_ROWS = 64;

function useTree(ref: Matrix): boolean {
  return ref.cols <= TREE_MAX_DIM && ref.rows >= TREE_MIN_ROWS;
}

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;
  // The last tree built, reused while the same reference matrix is queried again (common in the
  // estimators: kNN then radius counts on the same sample).
  private cache: { ref: Matrix; tree: KdTree } | null = null;

  private tree(ref: Matrix): KdTree {
    if (this.cache && this.cache.ref === ref) return this.cache.tree;
    const tree = new KdTree(ref);
    this.cache = { ref, tree };
    return tree;
  }

  kNearest(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions): { distances: Float64Array; indices: Int32Array } {
    const distances = new Float64Array(query.rows * k);
    const indices = new Int32Array(query.rows * k);
    if (useTree(ref)) this.tree(ref).knn(query, k, opts.metric, opts.excludeSelf, distances, indices);
    else bruteKnn(query, ref, k, opts.metric, opts.excludeSelf, distances, indices);
    return { distances, indices };
  }

  kthNeighborDistance(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions): Float64Array {
    const all = new Float64Array(query.rows * k);
    if (useTree(ref)) this.tree(ref).knn(query, k, opts.metric, opts.excludeSelf, all);
    else bruteKnn(query, ref, k, opts.metric, opts.excludeSelf, all);
    const out = new Float64Array(query.rows);
    for (let i = 0; i < query.rows; i++) out[i] = all[i * k + k - 1];
    return out;
  }

  countWithinRadius(query: Matrix, ref: Matrix, radius: Float64Array, opts: RadiusOptions): Int32Array {
    const out = new Int32Array(query.rows);
    if (useTree(ref)) this.tree(ref).countWithin(query, radius, opts.metric, opts.strict, opts.excludeSelf, out);
    else bruteCount(query, ref, radius, opts.metric, opts.strict, opts.excludeSelf, out);
    return out;
  }

  pairwiseDistances(query: Matrix, ref: Matrix, metric: Metric): Float64Array {
    return brutePairwise(query, ref, metric);
  }
}
