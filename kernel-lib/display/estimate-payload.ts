/**
 * `estimatePayload`: an `Estimate` (and optionally the true value) to a version 1 display payload.
 */
import type { Estimate } from '../estimate.js';
import { InvalidParameterError } from '../core/errors.js';
import { PAYLOAD_VERSION, toJsonValue, toWire, type EstimatePayload, type JsonValue } from './payload.js';
import { validatePayload } from './validate.js';

export interface EstimatePayloadOptions {
  /** The true value, in the estimate's unit (e.g. `gaussian.kl(P, Q)` for a nat-valued KL estimate). */
  readonly truth?: number;
}

/**
 * Builds the display payload of an estimate: its value, unit, estimator, JSON-safe params, sample
 * sizes, standard error and backend (per-sample `terms` and `extra` stay behind: they can be large).
 *
 * @throws InvalidParameterError when `estimate` is not an `Estimate` (the message names the field)
 *   or `options.truth` is not a number.
 *
 * @example
 * estimatePayload(knn.entropy(x), { truth: 2.838 }).kind   // 'estimate'
 */
export function estimatePayload(estimate: Estimate, options: EstimatePayloadOptions = {}): EstimatePayload {
  if (typeof estimate !== 'object' || estimate === null) {
    throw new InvalidParameterError('estimate', `must be the Estimate a divlab estimator returned, got ${String(estimate)}`);
  }
  if (options.truth !== undefined && typeof options.truth !== 'number') {
    throw new InvalidParameterError('options.truth', `must be a number (the true value in the estimate's unit), got ${typeof options.truth}`);
  }
  const e = estimate;
  const params = toJsonValue(e.params ?? {});
  const payload: EstimatePayload = {
    version: PAYLOAD_VERSION,
    kind: 'estimate',
    estimate: {
      value: typeof e.value === 'number' ? toWire(e.value) : (e.value as never),
      unit: e.unit,
      estimator: e.estimator,
      params: (typeof params === 'object' && params !== null && !Array.isArray(params) ? params : { value: params }) as { [k: string]: JsonValue },
      n: e.n,
      ...(e.m !== undefined ? { m: e.m } : {}),
      d: e.d,
      ...(e.stderr !== undefined ? { stderr: typeof e.stderr === 'number' ? toWire(e.stderr) : (e.stderr as never) } : {}),
      backend: e.backend,
    },
    ...(options.truth !== undefined ? { truth: toWire(options.truth) } : {}),
  };
  const checked = validatePayload(payload);
  if (!checked.ok) {
    throw new InvalidParameterError('estimate', `is not an Estimate a divlab estimator returns: ${checked.problems.join('; ')}`);
  }
  return payload;
}
