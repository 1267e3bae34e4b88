/**
 * The divlab Web Worker: runs recomputation jobs (compute/recompute.ts) off the main thread.
 * Message in: `{ id, job }`; message out: `{ id, result }`.
 */
import { runJob, type Job } from './recompute.js';

const scope = self as unknown as { onmessage: ((ev: MessageEvent<{ id: number; job: Job }>) => void) | null; postMessage: (m: unknown) => void };
scope.onmessage = (ev) => {
  const startedAt = performance.timeOrigin + performance.now();
  const { id, job } = ev.data;
  const result = runJob(job);
  scope.postMessage({ id, result, startedAt, postedAt: performance.timeOrigin + performance.now() });
};
