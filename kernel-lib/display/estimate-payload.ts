/**
 * `estimatePayload`: an `Estimate` (and optionally the true value, and the samples it came from)
 * to a version 1 display payload.
 */
import type { Estimate } from '../estimate.js';
import { InvalidParameterError } from '../core/errors.js';
import { toMatrix, type Samples } from '../core/matrix.js';
import { histogram } from './histogram.js';
import {
  MAX_SAMPLE_ROWS, PAYLOAD_VERSION, toJsonValue, toWire,
  type ControlSpec, type EstimatePayload, type EstimateRecompute, type JsonValue, type WireMatrix,
} from './payload.js';
import { validatePayload } from './validate.js';

export interface EstimatePayloadOptions {
  /** The true value, in the estimate's unit (e.g. `gaussian.kl(P, Q)` for a nat-valued KL estimate). */
  readonly truth?: number;
  /** A heading above the widget (default: the estimator's name). */
  readonly title?: string;
  /**
   * The samples the estimate was computed from (`y` for two-sample estimators), at most
   * `MAX_SAMPLE_ROWS` (5000) rows each. With them the payload carries a `k` slider and the
   * extension recomputes the estimate in the browser with the same divlab code.
   */
  readonly data?: { readonly x: Samples; readonly y?: Samples };
  /** Controls: default (`true`) a `k` slider when `data` is given; `false` none; or explicit specs. */
  readonly controls?: boolean | readonly ControlSpec[];
}

/** The k-NN function behind each estimator identifier (those whose k a slider may change). */
const RECOMPUTABLE: Record<string, EstimateRecompute['fn']> = {
  'kozachenko-leonenko': 'entropy',
  'wang-kulkarni-verdu': 'kl',
  'poczos-schneider': 'renyi',
  'nnr-renyi': 'nnr',
  'ksg-1': 'mutualInfo',
  'ksg-2': 'mutualInfo',
};

function wireMatrix(x: Samples, name: string): WireMatrix {
  const m = toMatrix(x, name);
  if (m.rows > MAX_SAMPLE_ROWS) {
    throw new InvalidParameterError(name, `has ${m.rows} rows; a payload carries at most ${MAX_SAMPLE_ROWS} for browser recomputation — pass a subsample or controls: false`);
  }
  return { shape: [m.rows, m.cols], data: Array.from(m.data) };
}

/** The options of the estimator call behind `e`, without k (the slider sets it), JSON only. */
function recomputeOptions(e: Estimate): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [key, v] of Object.entries(e.params ?? {})) {
    if (key === 'k' || v === undefined || typeof v === 'function') continue;
    out[key] = toJsonValue(v);
  }
  if (e.unit === 'bit') out.base = 2;
  else if (e.unit !== 'nat') out.base = Number(e.unit.slice(3));
  out.backend = 'cpu';
  return out;
}

function recomputeOf(e: Estimate, data: NonNullable<EstimatePayloadOptions['data']>): EstimateRecompute {
  const fn = RECOMPUTABLE[e.estimator];
  if (fn === undefined) {
    throw new InvalidParameterError('options.data', `estimator ${e.estimator} cannot be recomputed in the browser (recomputable: ${Object.keys(RECOMPUTABLE).join(', ')}); pass controls: false`);
  }
  const needsY = fn !== 'entropy';
  if (needsY && data.y === undefined) throw new InvalidParameterError('options.data.y', `is needed: ${e.estimator} takes two samples`);
  return {
    fn,
    x: wireMatrix(data.x, 'options.data.x'),
    ...(needsY ? { y: wireMatrix(data.y!, 'options.data.y') } : {}),
    options: recomputeOptions(e),
  };
}

/** The k slider of a k-NN estimate: 1 … min(50, smallest sample − 2). */
function kControl(e: Estimate, recompute: EstimateRecompute): ControlSpec {
  const k = e.params.k;
  if (typeof k !== 'number' || !Number.isInteger(k)) throw new InvalidParameterError('estimate.params.k', `must be the integer k the estimate used, got ${String(k)}`);
  const rows = Math.min(recompute.x.shape[0], recompute.y?.shape[0] ?? Infinity);
  const max = Math.max(k, Math.min(50, rows - 2));
  return { name: 'k', label: 'k', min: 1, max, step: 1, value: k };
}

/**
 * Builds the display payload of an estimate: its value, unit, estimator, JSON-safe params, sample
 * sizes, standard error and backend, a 40-bin histogram of the per-sample terms (not the terms
 * themselves: they can be large), and — with `options.data` — the samples and a `k` control.
 *
 * @throws InvalidParameterError when `estimate` is not an `Estimate` (the message names the field),
 *   `options.truth` is not a number, or `options.data` cannot be carried (over 5000 rows, or an
 *   estimator the browser cannot recompute).
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
  if (options.title !== undefined && typeof options.title !== 'string') {
    throw new InvalidParameterError('options.title', `must be a string, got ${typeof options.title}`);
  }
  const e = estimate;
  const params = toJsonValue(e.params ?? {});
  let recompute: EstimateRecompute | undefined;
  let controls: readonly ControlSpec[] | undefined;
  if (options.data !== undefined && options.controls !== false) {
    recompute = recomputeOf(e, options.data);
    controls = Array.isArray(options.controls) ? options.controls : [kControl(e, recompute)];
  }
  const terms = e.terms !== undefined && e.terms.length > 0 ? histogram(e.terms) : undefined;
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
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(terms !== undefined && terms.counts.length > 0 ? { terms } : {}),
    ...(recompute !== undefined ? { recompute } : {}),
    ...(controls !== undefined ? { controls } : {}),
  };
  const checked = validatePayload(payload);
  if (!checked.ok) {
    throw new InvalidParameterError('estimate', `is not an Estimate a divlab estimator returns: ${checked.problems.join('; ')}`);
  }
  return payload;
}
