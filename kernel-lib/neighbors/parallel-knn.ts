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
 * and the CommonJS builds alike) and recognises its task by `workerData.divlabKnn`.
 */
import type { Matrix } from '../core/matrix.js';
import { KdTree } from './kdtree.js';
import type { Metric } from './metric.js';

type WorkerThreads = typeof import('node:worker_threads');

interface Task {
  readonly divlabKnn: true;
  readonly ref: SharedArrayBuffer; // float64, rows × cols
  readonly query: SharedArrayBuffer | null; // null: the query is the reference itself
  readonly rows: number;
  readonly qrows: number;
  readonly cols: number;
  readonly order: SharedArrayBuffer; // int32 visiting order of the query rows
  readonly from: number;
  readonly to: number;
  readonly k: number;
  readonly metric: Metric;
  readonly skipSelf: boolean;
  readonly dist: SharedArrayBuffer; // float64 qrows × k
  readonly idx: SharedArrayBuffer; // int32 qrows × k
  readonly flags: SharedArrayBuffer; // int32 per worker: 0 pending, 1 started, 2 done, 3 failed
  readonly slot: number;
}

const PENDING = 0;
const STARTED = 1;
const DONE = 2;
const FAILED = 3;

/**
 * Work (query rows × reference rows × dimension) below which threads do not pay for themselves
 * (a worker costs ~50–100 ms to start and rebuild the tree), and the dimension below which the tree
 * search is so fast (n = 1e5, d = 2: ~0.1 s per query set) that they never do.
 */
export const PARALLEL_MIN_WORK = 5e8;
export const PARALLEL_MIN_DIM = 4;

function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  try {
    return proc.getBuiltinModule(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/** This module's own file (path or file: URL), from the first stack frame that names it. */
const selfFile: string | undefined = (() => {
  const m = /((?:file:\/\/)?[^\s()]*parallel-knn\.js)/.exec(new Error().stack ?? '');
  return m ? m[1] : undefined;
})();

function sharedF64(src: Float64Array): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(src.length * 8);
  new Float64Array(buf).set(src);
  return buf;
}

function sharedI32(src: Int32Array): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(src.length * 4);
  new Int32Array(buf).set(src);
  return buf;
}

function runTask(t: Task): void {
  const ref: Matrix = { data: new Float64Array(t.ref), rows: t.rows, cols: t.cols };
  const query: Matrix = t.query ? { data: new Float64Array(t.query), rows: t.qrows, cols: t.cols } : ref;
  new KdTree(ref).knn(query, t.k, t.metric, t.skipSelf, new Float64Array(t.dist), new Int32Array(t.idx), new Int32Array(t.order), t.from, t.to);
}

// Worker side: this module was started as a divlab k-NN worker.
{
  const wt = builtin<WorkerThreads>('node:worker_threads');
  const task = wt && !wt.isMainThread ? (wt.workerData as Task | undefined) : undefined;
  if (task?.divlabKnn) {
    const flags = new Int32Array(task.flags);
    Atomics.store(flags, task.slot, STARTED);
    try {
      runTask(task);
      Atomics.store(flags, task.slot, DONE);
    } catch {
      Atomics.store(flags, task.slot, FAILED);
    }
    Atomics.notify(flags, task.slot);
  }
}

/** Threads available for the search (1 where workers are not available). */
export function availableThreads(): number {
  const wt = builtin<WorkerThreads>('node:worker_threads');
  const os = builtin<typeof import('node:os')>('node:os');
  if (!wt || !wt.isMainThread || !os || !selfFile) return 1;
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
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
  const wt = builtin<WorkerThreads>('node:worker_threads');
  const T = Math.min(threads, availableThreads(), Math.floor(query.rows / 64));
  if (!wt || !selfFile || T < 2 || ref.cols < minDim || query.rows * ref.rows * ref.cols < minWork) return false;

  const n = query.rows;
  const distBuf = new SharedArrayBuffer(n * k * 8);
  const idxBuf = new SharedArrayBuffer(n * k * 4);
  const flagsBuf = new SharedArrayBuffer(4 * T);
  const flags = new Int32Array(flagsBuf);
  const refBuf = sharedF64(ref.data);
  const queryBuf = query === ref ? null : sharedF64(query.data);
  const orderBuf = sharedI32(order);
  const bounds = Array.from({ length: T + 1 }, (_, t) => Math.round((t * n) / T));
  const workers: { terminate(): unknown }[] = [];
  const url = selfFile.startsWith('file:') ? new URL(selfFile) : selfFile;
  for (let t = 1; t < T; t++) {
    const task: Task = {
      divlabKnn: true, ref: refBuf, query: queryBuf, rows: ref.rows, qrows: n, cols: ref.cols,
      order: orderBuf, from: bounds[t], to: bounds[t + 1], k, metric, skipSelf,
      dist: distBuf, idx: idxBuf, flags: flagsBuf, slot: t,
    };
    try {
      workers.push(new wt.Worker(url, { workerData: task }));
    } catch {
      Atomics.store(flags, t, FAILED);
    }
  }
  const dist = new Float64Array(distBuf);
  const idx = new Int32Array(idxBuf);
  // The calling thread's own slice.
  tree.knn(query, k, metric, skipSelf, dist, idx, order, bounds[0], bounds[1]);
  for (let t = 1; t < T; t++) {
    // A worker that has not even started after 10 s (or that failed) gets its slice done here.
    let waited = 0;
    while (Atomics.load(flags, t) === PENDING && waited < 10000) {
      Atomics.wait(flags, t, PENDING, 50);
      waited += 50;
    }
    while (Atomics.load(flags, t) === STARTED) Atomics.wait(flags, t, STARTED, 1000);
    if (Atomics.load(flags, t) !== DONE) tree.knn(query, k, metric, skipSelf, dist, idx, order, bounds[t], bounds[t + 1]);
  }
  for (const w of workers) void w.terminate();
  outDist.set(dist);
  if (outIdx) outIdx.set(idx);
  return true;
}
