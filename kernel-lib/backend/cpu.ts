import type { Matrix } from '../core/matrix.js';
import { KdTree } from '../neighbors/kdtree.js';
import { knnParallel } from '../neighbors/parallel-knn.js';
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
  // Trees of the last three samples used, reused while the same matrices are queried again (the
  // estimators query one sample against itself and another, then count in radii on the same ones;
  // NNR uses three: the pooled sample, x and y).
  private readonly trees: { m: Matrix; tree: KdTree }[] = [];

  private tree(m: Matrix): KdTree {
    const hit = this.trees.find((t) => t.m === m);
    if (hit) return hit.tree;
    const tree = new KdTree(m);
    this.trees.unshift({ m, tree });
    if (this.trees.length > 3) this.trees.pop();
    return tree;
  }

  /** A spatially coherent visiting order for large queries (the query's own tree order). */
  private order(query: Matrix): Int32Array | undefined {
    return query.rows >= TREE_MIN_ROWS && query.cols <= TREE_MAX_DIM ? this.tree(query).index : undefined;
  }

  /** Tree k-NN, split over the CPU cores when the problem is large (same results either way). */
  private treeKnn(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions, dist: Float64Array, idx?: Int32Array): void {
    const tree = this.tree(ref);
    const order = this.order(query);
    if (order && knnParallel(tree, ref, query, k, opts.metric, opts.excludeSelf, order, dist, idx)) return;
    tree.knn(query, k, opts.metric, opts.excludeSelf, dist, idx, order);
  }

  kNearest(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions): { distances: Float64Array; indices: Int32Array } {
    const distances = new Float64Array(query.rows * k);
    const indices = new Int32Array(query.rows * k);
    if (useTree(ref)) this.treeKnn(query, ref, k, opts, distances, indices);
    else bruteKnn(query, ref, k, opts.metric, opts.excludeSelf, distances, indices);
    return { distances, indices };
  }

  kthNeighborDistance(query: Matrix, ref: Matrix, k: number, opts: NeighborOptions): Float64Array {
    const all = new Float64Array(query.rows * k);
    if (useTree(ref)) this.treeKnn(query, ref, k, opts, all);
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
