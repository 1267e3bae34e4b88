/**
 * What a control recomputes, with the same divlab code the kernel ran (bundled into the
 * extension): a k-NN estimate at a new k, or a kernel density at a new bandwidth h. Pure
 * functions of plain data, so they run alike on the main thread, in the Web Worker
 * (compute/worker.ts) and in the unit tests.
 */
import { entropy, kl, mutualInfo, nnr, renyi } from '../../kernel-lib/knn/index.js';
import { densityCurve, type DensityCurve } from '../../kernel-lib/display/density.js';
import { histogram } from '../../kernel-lib/display/histogram.js';
import { toJsonValue, toWire, type EstimatePayload, type JsonValue } from '../../kernel-lib/display/payload.js';
import type { Estimate } from '../../kernel-lib/estimate.js';

/** A recomputation request: plain data (structured-cloneable, for postMessage). */
export type Job =
  | { readonly kind: 'estimate'; readonly payload: EstimatePayload; readonly values: { readonly [name: string]: number } }
  | { readonly kind: 'density'; readonly data: readonly number[]; readonly h: number };

export type JobResult =
  | { readonly kind: 'estimate'; readonly payload: EstimatePayload; readonly ms: number }
  | { readonly kind: 'density'; readonly curve: DensityCurve; readonly h: number; readonly ms: number }
  | { readonly kind: 'error'; readonly message: string; readonly ms: number };

const FNS = { entropy, kl, renyi, nnr, mutualInfo } as const;

/** Re-runs the estimator of an estimate payload with the control values (e.g. `{ k: 7 }`). */
export function recomputeEstimate(p: EstimatePayload, values: { readonly [name: string]: number }): EstimatePayload {
  const r = p.recompute;
  if (!r) throw new Error('this estimate payload carries no samples to recompute from');
  const options = { ...(r.options as Record<string, JsonValue>), ...values } as Record<string, unknown>;
  const f = FNS[r.fn] as (x: unknown, y: unknown, o: unknown) => Estimate;
  const e: Estimate = r.fn === 'entropy'
    ? (FNS.entropy as unknown as (x: unknown, o: unknown) => Estimate)(r.x, options)
    : f(r.x, r.y, options);
  const params = toJsonValue(e.params) as { [key: string]: JsonValue };
  return {
    ...p,
    estimate: {
      ...p.estimate,
      value: toWire(e.value),
      ...(e.stderr !== undefined ? { stderr: toWire(e.stderr) } : {}),
      params,
    },
    ...(e.terms !== undefined && e.terms.length > 0 ? { terms: histogram(e.terms) } : {}),
    controls: (p.controls ?? []).map((c) => (values[c.name] !== undefined ? { ...c, value: values[c.name]! } : c)),
  };
}

/** Runs one job and times it; errors (e.g. k too large for the sample) come back as data. */
export function runJob(job: Job): JobResult {
  const t0 = typeof performance !== 'undefined' ? performance.now() : Date.now();
  const ms = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now()) - t0;
  try {
    if (job.kind === 'estimate') {
      const payload = recomputeEstimate(job.payload, job.values);
      return { kind: 'estimate', payload, ms: ms() };
    }
    const curve = densityCurve(job.data, job.h);
    return { kind: 'density', curve, h: job.h, ms: ms() };
  } catch (e) {
    return { kind: 'error', message: (e as Error).message ?? String(e), ms: ms() };
  }
}
