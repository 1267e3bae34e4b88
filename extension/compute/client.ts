/**
 * Runs recomputation jobs in a Web Worker, with the main thread as the fallback when a worker
 * cannot start (e.g. a page that forbids workers). One worker, shared by every divlab output on
 * the page, started on the first job. Stale answers are dropped by the caller (views/controls.ts
 * `Latest`).
 */
import { runJob, type Job, type JobResult } from './recompute.js';

let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<number, (r: JobResult) => void>();
const sentAt = new Map<number, number>();

/** Message latencies of the last worker job (ms): posting → worker start, in the worker, worker post → main thread. */
export let lastLatency: { toWorker: number; inWorker: number; fromWorker: number } | undefined;

/** Where the last job ran: 'worker' or 'main' (reported in the widget's status line and tests). */
export let lastWhere: 'worker' | 'main' = 'main';

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<{ id: number; result: JobResult; startedAt: number; postedAt: number }>) => {
      const at = performance.timeOrigin + performance.now();
      const sent = sentAt.get(ev.data.id) ?? at;
      sentAt.delete(ev.data.id);
      lastLatency = { toWorker: ev.data.startedAt - sent, inWorker: ev.data.postedAt - ev.data.startedAt, fromWorker: at - ev.data.postedAt };
      const done = pending.get(ev.data.id);
      pending.delete(ev.data.id);
      done?.(ev.data.result);
    };
    worker.onerror = () => {
      // The worker failed to load or crashed: answer what is pending on the main thread, and stay there.
      const w = worker;
      worker = null;
      w?.terminate();
      for (const [id, done] of pending) {
        pending.delete(id);
        done({ kind: 'error', message: 'the divlab worker stopped; retry', ms: 0 });
      }
    };
  } catch {
    worker = null;
  }
  return worker;
}

/** Runs a job in the worker (or, failing that, on the main thread). */
export function run(job: Job): Promise<JobResult> {
  const w = getWorker();
  if (!w) {
    lastWhere = 'main';
    return Promise.resolve(runJob(job));
  }
  lastWhere = 'worker';
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    sentAt.set(id, performance.timeOrigin + performance.now());
    w.postMessage({ id, job });
  });
}
