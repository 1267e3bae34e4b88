import type { Matrix } from '../core/matrix.js';
import { distance, type Metric } from './metric.js';
import { heapReplaceTop, heapToSorted, insertSorted } from './sorted-buffer.js';

/** Above this k the k smallest distances are kept in a max-heap instead of a sorted buffer. */
const HEAP_MIN_K = 24;

/**
 * A kd-tree over the rows of a float64 matrix (Bentley 1975; sliding-midpoint-free median split on
 * the widest dimension, bounding boxes per node for tight pruning as in scipy's cKDTree).
 * Supports exact k-nearest-neighbour and radius-count queries in the Euclidean and max norms.
 * All comparisons are on true distances in float64, so strict (<) and non-strict (≤) radius counts
 * are exact, which the KSG estimators rely on.
 */
const LEAF_SIZE = 16;

export class KdTree {
  readonly n: number;
  readonly d: number;
  /** Points in tree order (row-major). */
  private readonly pts: Float64Array;
  /** Original row index of each point in tree order. */
  readonly index: Int32Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  /** Split dimension of each internal node (−1 for leaves). */
  private readonly splitDim: Int32Array;
  private nodes = 0;
  /** The matrix the tree was built from (queries on it are visited in tree order). */
  private readonly source: Matrix;

  constructor(m: Matrix) {
    this.source = m;
    const { rows: n, cols: d, data } = m;
    this.n = n;
    this.d = d;
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    const maxNodes = 2 * Math.ceil(n / (LEAF_SIZE / 2)) + 1;
    this.start = new Int32Array(maxNodes);
    this.end = new Int32Array(maxNodes);
    this.left = new Int32Array(maxNodes).fill(-1);
    this.right = new Int32Array(maxNodes).fill(-1);
    this.splitDim = new Int32Array(maxNodes).fill(-1);
    this.lo = new Float64Array(maxNodes * d);
    this.hi = new Float64Array(maxNodes * d);
    this.build(data, idx, 0, n);
    this.index = idx;
    this.pts = new Float64Array(n * d);
    for (let i = 0; i < n; i++) this.pts.set(data.subarray(idx[i] * d, idx[i] * d + d), i * d);
  }

  private build(data: Float64Array, idx: Int32Array, s: number, e: number): number {
    const d = this.d;
    const node = this.nodes++;
    this.start[node] = s;
    this.end[node] = e;
    // Bounding box.
    let widest = 0;
    let width = -1;
    for (let c = 0; c < d; c++) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let i = s; i < e; i++) {
        const v = data[idx[i] * d + c];
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      this.lo[node * d + c] = mn;
      this.hi[node * d + c] = mx;
      if (mx - mn > width) {
        width = mx - mn;
        widest = c;
      }
    }
    if (e - s <= LEAF_SIZE || width <= 0) return node;
    const mid = (s + e) >>> 1;
    quickselect(data, idx, s, e - 1, mid, widest, d);
    this.splitDim[node] = widest;
    this.left[node] = this.build(data, idx, s, mid);
    this.right[node] = this.build(data, idx, mid, e);
    return node;
  }

  /**
   * Bound on the *reduced* distance (squared for Euclidean, plain for max) from q to the node's
   * box: the smallest over the box (`far = false`) or the largest (`far = true`).
   */
  private boxReduced(q: Float64Array, qo: number, node: number, euclid: boolean, far: boolean): number {
    const d = this.d;
    const b = node * d;
    const lo = this.lo;
    const hi = this.hi;
    let m = 0;
    for (let c = 0; c < d; c++) {
      const v = q[qo + c];
      const t = far
        ? Math.max(Math.abs(v - lo[b + c]), Math.abs(hi[b + c] - v))
        : v < lo[b + c] ? lo[b + c] - v : v > hi[b + c] ? v - hi[b + c] : 0;
      if (euclid) m += t * t;
      else if (t > m) m = t;
    }
    return m;
  }

  // State of the Euclidean k-NN search (Arya & Mount's incremental distance: moving into a child
  // changes the query's offset from the cell in the split dimension only, so the lower bound is
  // updated in O(1) per node instead of O(d) — the scheme of scipy's cKDTree).
  private qd: Float64Array = new Float64Array(0);
  private qo = 0;
  private off: Float64Array = new Float64Array(0);
  private hd: Float64Array = new Float64Array(0);
  private hi2: Int32Array = new Int32Array(0);
  private kq = 0;
  private top = 0; // where the current k-th distance sits: k − 1 (sorted buffer) or 0 (heap)
  private self = -1;

  private searchEuclid(node: number, rd: number): void {
    const k = this.kq;
    const hd = this.hd;
    const top = this.top;
    const l = this.left[node];
    if (l < 0) {
      const d = this.d;
      const q = this.qd;
      const qo = this.qo;
      // The incremental bound only knows the split dimensions; before scanning a leaf, its tight
      // box gives a sharper bound in O(d) and often rules all of its points out at once.
      if (this.boxReduced(q, qo, node, true, false) >= hd[top]) return;
      const pts = this.pts;
      const end = this.end[node];
      for (let p = this.start[node]; p < end; p++) {
        if (this.index[p] === this.self) continue;
        const bound = hd[top];
        const po = p * d;
        let dist = 0;
        for (let c = 0; c < d && dist <= bound; c++) {
          const t = q[qo + c] - pts[po + c];
          dist += t * t;
        }
        if (dist < bound) {
          if (top === 0) heapReplaceTop(hd, this.hi2, k, dist, this.index[p]);
          else insertSorted(hd, this.hi2, k, dist, this.index[p]);
        }
      }
      return;
    }
    const r = this.right[node];
    const dim = this.splitDim[node];
    const v = this.qd[this.qo + dim];
    // Offsets of q from each child's extent along the split dimension (tight child boxes).
    const lmax = this.hi[l * this.d + dim];
    const rmin = this.lo[r * this.d + dim];
    const dl = v > lmax ? v - lmax : 0;
    const dr = v < rmin ? rmin - v : 0;
    const old = this.off[dim];
    const first = dl <= dr ? l : r;
    const second = dl <= dr ? r : l;
    const o1 = dl <= dr ? dl : dr;
    const o2 = dl <= dr ? dr : dl;
    const rd1 = rd - old * old + o1 * o1;
    if (rd1 < hd[top]) {
      this.off[dim] = o1;
      this.searchEuclid(first, rd1);
    }
    const rd2 = rd - old * old + o2 * o2;
    if (rd2 < hd[top]) {
      this.off[dim] = o2;
      this.searchEuclid(second, rd2);
    }
    this.off[dim] = old;
  }

  /**
   * k nearest neighbours of every row of `query` (same dimension as the tree), visited in `order`
   * when given (any permutation of the query rows; results are the same) — only positions
   * [from, to) of that order, so that threads can share one query set. With `skipSelf`,
   * query row i never takes tree point i (original index) as its neighbour.
   * Writes ascending distances to `outDist[i*k + r]` and original indices to `outIdx` (if given).
   * Internally works on reduced distances (squared Euclidean / max) with partial-distance early exit
   * (a candidate's sum stops as soon as it exceeds the current k-th), and takes square roots once.
   */
  knn(
    query: Matrix, k: number, metric: Metric, skipSelf: boolean, outDist: Float64Array, outIdx?: Int32Array,
    order?: Int32Array, from = 0, to = query.rows,
  ): void {
    const q = query.data;
    const d = this.d;
    const pts = this.pts;
    const euclid = metric === 'euclidean';
    const heap = k >= HEAP_MIN_K;
    const top = heap ? 0 : k - 1;
    const hd = new Float64Array(k);
    const hi = new Int32Array(k);
    const stack = new Int32Array(128);
    const stackD = new Float64Array(128);
    const off = new Float64Array(d);
    // Visit queries in a spatially coherent order (a tree order of the query points: this tree's own
    // for self-queries, or `order`, e.g. the index of a tree built on the query), so that
    // consecutive searches touch the same nodes and points while they are still in cache.
    const visit = order && order.length === query.rows ? order : query === this.source ? this.index : null;
    for (let qi = from; qi < to; qi++) {
      const i = visit ? visit[qi] : qi;
      const qo = i * d;
      hd.fill(Infinity);
      hi.fill(-1);
      const self = skipSelf ? i : -1;
      if (euclid) {
        this.qd = q;
        this.qo = qo;
        this.off = off;
        this.hd = hd;
        this.hi2 = hi;
        this.kq = k;
        this.top = top;
        this.self = self;
        off.fill(0);
        this.searchEuclid(0, 0);
        if (heap) heapToSorted(hd, hi, k);
        const o = i * k;
        for (let r = 0; r < k; r++) outDist[o + r] = Math.sqrt(hd[r]);
        if (outIdx) outIdx.set(hi, o);
        continue;
      }
      // Max norm: depth-first over tight boxes, nearer child first; prune by the current k-th distance.
      let sp = 0;
      stack[sp] = 0;
      stackD[sp++] = this.boxReduced(q, qo, 0, euclid, false);
      while (sp > 0) {
        const node = stack[--sp];
        if (stackD[sp] > hd[top]) continue;
        const l = this.left[node];
        if (l < 0) {
          const end = this.end[node];
          for (let p = this.start[node]; p < end; p++) {
            if (this.index[p] === self) continue;
            const bound = hd[top];
            const po = p * d;
            let dist = 0;
            if (euclid) {
              for (let c = 0; c < d && dist <= bound; c++) {
                const t = q[qo + c] - pts[po + c];
                dist += t * t;
              }
            } else {
              for (let c = 0; c < d && dist <= bound; c++) {
                const t = Math.abs(q[qo + c] - pts[po + c]);
                if (t > dist) dist = t;
              }
            }
            if (dist < bound) {
              if (heap) heapReplaceTop(hd, hi, k, dist, this.index[p]);
              else insertSorted(hd, hi, k, dist, this.index[p]);
            }
          }
          continue;
        }
        const rgt = this.right[node];
        const dl = this.boxReduced(q, qo, l, euclid, false);
        const dr = this.boxReduced(q, qo, rgt, euclid, false);
        // Push the farther child first so the nearer one is visited first.
        if (dl <= dr) {
          stack[sp] = rgt; stackD[sp++] = dr;
          stack[sp] = l; stackD[sp++] = dl;
        } else {
          stack[sp] = l; stackD[sp++] = dl;
          stack[sp] = rgt; stackD[sp++] = dr;
        }
      }
      if (heap) heapToSorted(hd, hi, k);
      const o = i * k;
      for (let r = 0; r < k; r++) outDist[o + r] = euclid ? Math.sqrt(hd[r]) : hd[r];
      if (outIdx) outIdx.set(hi, o);
    }
  }

  /**
   * For every row i of `query`, the number of tree points at distance < radius[i] (strict) or
   * ≤ radius[i]; with `skipSelf`, the tree point with original index i is not counted.
   */
  countWithin(query: Matrix, radius: Float64Array, metric: Metric, strict: boolean, skipSelf: boolean, out: Int32Array): void {
    const q = query.data;
    const d = this.d;
    const euclid = metric === 'euclidean';
    const stack = new Int32Array(128);
    for (let i = 0; i < query.rows; i++) {
      const qo = i * d;
      const r = radius[i];
      // Whole boxes are pruned or taken on reduced distances with a relative margin that dwarfs
      // the rounding of r² (so no box is misjudged); points are compared on exact distances.
      const rr = euclid ? r * r : r;
      const outside = rr * (1 + 1e-12);
      const inside = rr * (1 - 1e-12);
      let count = 0;
      let sp = 0;
      stack[sp++] = 0;
      while (sp > 0) {
        const node = stack[--sp];
        if (this.boxReduced(q, qo, node, euclid, false) > outside) continue;
        if (this.boxReduced(q, qo, node, euclid, true) < inside) {
          count += this.end[node] - this.start[node];
          continue;
        }
        const l = this.left[node];
        if (l < 0) {
          for (let p = this.start[node]; p < this.end[node]; p++) {
            const dist = distance(q, i, this.pts, p, d, metric);
            if (strict ? dist < r : dist <= r) count++;
          }
        } else {
          stack[sp++] = l;
          stack[sp++] = this.right[node];
        }
      }
      // The query point itself (distance 0) was counted iff 0 < r (strict) or 0 ≤ r.
      if (skipSelf && (strict ? 0 < r : 0 <= r)) count--;
      out[i] = count;
    }
  }
}

/** Hoare-style quickselect on idx[s..e] by coordinate c so that idx[kth] holds the median. */
function quickselect(data: Float64Array, idx: Int32Array, s: number, e: number, kth: number, c: number, d: number): void {
  while (e > s) {
    const pivot = data[idx[(s + e) >>> 1] * d + c];
    let i = s;
    let j = e;
    while (i <= j) {
      while (data[idx[i] * d + c] < pivot) i++;
      while (data[idx[j] * d + c] > pivot) j--;
      if (i <= j) {
        const t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        i++;
        j--;
      }
    }
    if (kth <= j) e = j;
    else if (kth >= i) s = i;
    else return;
  }
}
