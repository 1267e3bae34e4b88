/**
 * Row-sliced work on Node's worker threads behind a synchronous call — the machinery shared by the
 * parallel k-NN search (`neighbors/parallel-knn.ts`) and the float64 kernel sums
 * (`backend/kernel-sums-cpu.ts`).
 *
 * {@link runSliced} cuts rows [0, n) into `threads` contiguous slices; the calling thread computes
 * slice 0, one worker each of the others, and the caller blocks on `Atomics.wait` until every worker
 * has written its slice into shared memory (`SharedArrayBuffer`s inside the task). Each worker runs
 * the task's own module file (found with {@link moduleFile}), whose top level calls
 * {@link serveWorker} with the task's kind: the same float64 code on the same inputs, so the result
 * is identical, bit for bit, to the single-threaded one whatever the split. A worker that cannot
 * start, throws, or has not started within 10 s has its slice computed by the caller instead.
 *
 * Only in Node ≥ 20.16 (`process.getBuiltinModule`) on the main thread: elsewhere (a browser, inside
 * a worker) {@link availableThreads} is 1 and {@link runSliced} returns false without doing anything,
 * and the caller runs single-threaded.
 */
type WorkerThreads = typeof import('node:worker_threads');

const PENDING = 0;
const STARTED = 1;
const DONE = 2;
const FAILED = 3;

/** What a worker receives: the task's kind and payload, its row slice and its completion flag. */
interface Envelope<T> {
  readonly divlabTask: string;
  readonly task: T;
  readonly from: number;
  readonly to: number;
  readonly flags: SharedArrayBuffer; // int32 per slice: 0 pending, 1 started, 2 done, 3 failed
  readonly slot: number;
}

/** A Node built-in module, or undefined outside Node (< 20.16: no `process.getBuiltinModule`). */
export function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  try {
    return proc.getBuiltinModule(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file (path or file: URL) of the module named `base` (e.g. 'kernel-sums-cpu.js'), read off the
 * current stack — call it at the module's top level. Works for the ESM and CommonJS builds alike.
 */
export function moduleFile(base: string): string | undefined {
  const esc = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`((?:file://)?[^\\s()]*${esc})`).exec(new Error().stack ?? '');
  return m ? m[1] : undefined;
}

/** Threads available for sliced work (1 where workers are not available). */
export function availableThreads(): number {
  const wt = builtin<WorkerThreads>('node:worker_threads');
  const os = builtin<typeof import('node:os')>('node:os');
  if (!wt || !wt.isMainThread || !os) return 1;
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/** A SharedArrayBuffer copy of a typed array (workers see it without copying). */
export function sharedCopy(src: Float64Array | Int32Array): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(src.byteLength);
  new Uint8Array(buf).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
  return buf;
}

/**
 * Worker side: if this thread is a divlab worker started for `kind`, run its slice
 * (`run(task, from, to)`) and signal completion. Call at the top level of the module named in
 * {@link runSliced}; a no-op on the main thread.
 */
export function serveWorker<T>(kind: string, run: (task: T, from: number, to: number) => void): void {
  const wt = builtin<WorkerThreads>('node:worker_threads');
  if (!wt || wt.isMainThread) return;
  const env = wt.workerData as Envelope<T> | undefined;
  if (!env || env.divlabTask !== kind) return;
  const flags = new Int32Array(env.flags);
  Atomics.store(flags, env.slot, STARTED);
  try {
    run(env.task, env.from, env.to);
    Atomics.store(flags, env.slot, DONE);
  } catch {
    Atomics.store(flags, env.slot, FAILED);
  }
  Atomics.notify(flags, env.slot);
}

/** Slice bounds: rows [b_t, b_{t+1}) for slice t of T, b_t = round(t·n/T). */
export function sliceBounds(n: number, T: number): number[] {
  return Array.from({ length: T + 1 }, (_, t) => Math.round((t * n) / T));
}

/**
 * Runs `local(from, to)` over rows [0, n) split into `threads` slices: slice 0 on this thread, the
 * others in workers started on `file` with `{ kind, task }` (see module doc), each of which must
 * write only its own rows of the shared outputs in `task`. Returns false — having run nothing —
 * when fewer than 2 threads are possible (no workers here, `threads` < 2, no module file); the
 * caller then runs single-threaded. `task` must be structured-cloneable (SharedArrayBuffers are
 * shared, not copied).
 */
export function runSliced<T>(file: string | undefined, kind: string, task: T, n: number, threads: number, local: (from: number, to: number) => void): boolean {
  const wt = builtin<WorkerThreads>('node:worker_threads');
  const slices = Math.min(Math.floor(threads), availableThreads(), n);
  if (!wt || !file || !(slices >= 2)) return false;
  const flagsBuf = new SharedArrayBuffer(4 * slices);
  const flags = new Int32Array(flagsBuf);
  const bounds = sliceBounds(n, slices);
  const workers: { terminate(): unknown }[] = [];
  const url = file.startsWith('file:') ? new URL(file) : file;
  for (let t = 1; t < slices; t++) {
    const env: Envelope<T> = { divlabTask: kind, task, from: bounds[t], to: bounds[t + 1], flags: flagsBuf, slot: t };
    try {
      workers.push(new wt.Worker(url, { workerData: env }));
    } catch {
      Atomics.store(flags, t, FAILED);
    }
  }
  try {
    local(bounds[0], bounds[1]);
    for (let t = 1; t < slices; t++) {
      // A worker that has not even started after 10 s (or that failed) gets its slice done here.
      let waited = 0;
      while (Atomics.load(flags, t) === PENDING && waited < 10000) {
        Atomics.wait(flags, t, PENDING, 50);
        waited += 50;
      }
      while (Atomics.load(flags, t) === STARTED) Atomics.wait(flags, t, STARTED, 1000);
      if (Atomics.load(flags, t) !== DONE) local(bounds[t], bounds[t + 1]);
    }
  } finally {
    for (const w of workers) void w.terminate();
  }
  return true;
}
