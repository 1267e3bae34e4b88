/**
 * The result every divlab estimator returns. Values are in nats unless `base: 2` (bits) or another
 * base was asked for; `unit` says which.
 */
export type Unit = 'nat' | 'bit' | `log${number}`;

export interface Estimate {
  /** The point estimate, in `unit`. */
  readonly value: number;
  readonly unit: Unit;
  /** Short identifier of the estimator, e.g. `kozachenko-leonenko`, `ksg-1`. */
  readonly estimator: string;
  /** The hyper-parameters used (k, alpha, metric, backend, ...), as given or defaulted. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Sample sizes and dimension: n (first sample), m (second sample, when there is one), d. */
  readonly n: number;
  readonly m?: number;
  readonly d: number;
  /**
   * Per-sample terms whose mean (plus the estimator's constant `offset`) is `value` in nats, when the
   * estimator is a sample average. Useful for standard errors and for the widgets.
   */
  readonly terms?: Float64Array;
  /** Standard error of the mean of `terms` (in `unit`), when terms exist. A rough guide, not a CI. */
  readonly stderr?: number;
  /** Auxiliary quantities named by the estimator (e.g. the estimated integral ∫p^α q^{1−α}). */
  readonly extra?: Readonly<Record<string, number | readonly number[]>>;
  /** Which compute path produced the bulk reductions. */
  readonly backend: 'cpu' | 'gpu';
}

/** Common options of every estimator. */
export interface BaseOptions {
  /** Logarithm base of the result: e (nats, default) or 2 (bits), or any base > 1. */
  readonly base?: number;
  /** Compute path: exact float64 CPU, gpu.js, or chosen by problem size (default). */
  readonly backend?: 'cpu' | 'gpu' | 'auto';
}
