/**
 * k-NN queries on a kd-tree split across CPU cores with Node's worker threads, behind the same
 * synchronous call: the calling thread takes one contiguous slice of the (spatially ordered)
 * queries, each worker another, and the caller blocks on `Atomics.wait` until the workers have
 * written their slices into shared memory. Every thread runs the same float64 search, so the result
 * is identical to the single-threaded one, whatever the split.
 *
 * Only in Node ≥ 20.16 (`process.getBuiltinModule`), and only for large problems: in a browser, or
 * when anything about the workers fails (cannot start, throws), it reports `false` / computes the
 * slice itself, and the caller's single-threaded path stands.
 *
 * The worker runs this very module (its file is read off a stack frame, which works for the ESM
 * and the CommonJS builds alike) and recognises its task by the kind 'divlab.knn'; the slicing,
 * waiting and fallback machinery is `backend/threads.ts`, shared with the kernel sums.
 */
import type { Matrix } from '../core/matrix.js';
import { availableThreads as threadsHere, moduleFile, runSliced, serveWorker, sharedCopy } from '../backend/threads.js';
import { KdTree } from './kdtree.js';
import type { Metric } from './metric.js';

interface Task {
  readonly ref: SharedArrayBuffer; // float64, rows × cols
  readonly query: SharedArrayBuffer | null; // null: the query is the reference itself
  readonly rows: number;
  readonly qrows: number;
  readonly cols: number;
  readonly order: SharedArrayBuffer; // int32 visiting order of the query rows
  readonly k: number;
  readonly metric: Metric;
  readonly skipSelf: boolean;
  readonly dist: SharedArrayBuffer; // float64 qrows × k
  readonly idx: SharedArrayBuffer; // int32 qrows × k
}

const KIND = 'divlab.knn';

/**
 * Work (query rows × reference rows × dimension) below which threads do not pay for themselves
 * (a worker costs ~50–100 ms to start and rebuild the tree), and the dimension below which the tree
 * search is so fast (n = 1e5, d = 2: ~0.1 s per query set) that they never do.
 */
export const PARALLEL_MIN_WORK = 5e8;
export const PARALLEL_MIN_DIM = 4;

/** This module's own file (path or file: URL): the workers run it. */
const selfFile = moduleFile('parallel-knn.js');

function runTask(t: Task, from: number, to: number): void {
  const ref: Matrix = { data: new Float64Array(t.ref), rows: t.rows, cols: t.cols };
  const query: Matrix = t.query ? { data: new Float64Array(t.query), rows: t.qrows, cols: t.cols } : ref;
  new KdTree(ref).knn(query, t.k, t.metric, t.skipSelf, new Float64Array(t.dist), new Int32Array(t.idx), new Int32Array(t.order), from, to);
}

// Worker side: this module was started as a divlab k-NN worker.
serveWorker<Task>(KIND, runTask);

/** Threads available for the search (1 where workers are not available). */
export function availableThreads(): number {
  return selfFile ? threadsHere() : 1;
}

/**
 * The k nearest neighbours of every query row, like {@link KdTree.knn} (same outputs, bit for bit),
 * with the queries split over `threads` threads. Returns false — having written nothing — when
 * threads are unavailable or the problem is below `minWork`; the caller then runs single-threaded.
 */
export function knnParallel(
  tree: KdTree, ref: Matrix, query: Matrix, k: number, metric: Metric, skipSelf: boolean, order: Int32Array,
  outDist: Float64Array, outIdx: Int32Array | undefined,
  { threads = availableThreads(), minWork = PARALLEL_MIN_WORK, minDim = PARALLEL_MIN_DIM }: { threads?: number; minWork?: number; minDim?: number } = {},
): boolean {
  const T = Math.min(threads, availableThreads(), Math.floor(query.rows / 64));
  if (T < 2 || ref.cols < minDim || query.rows * ref.rows * ref.cols < minWork) return false;
  const n = query.rows;
  const distBuf = new SharedArrayBuffer(n * k * 8);
  const idxBuf = new SharedArrayBuffer(n * k * 4);
  const task: Task = {
    ref: sharedCopy(ref.data), query: query === ref ? null : sharedCopy(query.data), rows: ref.rows, qrows: n, cols: ref.cols,
    order: sharedCopy(order), k, metric, skipSelf, dist: distBuf, idx: idxBuf,
  };
  const dist = new Float64Array(distBuf);
  const idx = new Int32Array(idxBuf);
  // The calling thread's own slice(s) on its already built tree.
  const ran = runSliced(selfFile, KIND, task, n, T, (from, to) => tree.knn(query, k, metric, skipSelf, dist, idx, order, from, to));
  if (!ran) return false;
  outDist.set(dist);
  if (outIdx) outIdx.set(idx);
  return true;
}
