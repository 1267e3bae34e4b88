import { InvalidParameterError } from '../core/errors.js';
import { toMatrix, type Samples } from '../core/matrix.js';
import { digamma, logUnitBallVolume } from '../core/special.js';
import { selectBackend } from '../backend/index.js';
import type { Metric } from '../backend/types.js';
import type { Estimate } from '../estimate.js';
import { assertPositiveDistances, checkK, fromTerms, prepareDuplicates, type KnnOptions } from './common.js';

export interface EntropyOptions extends KnnOptions {
  /** Norm of the neighbour balls: Euclidean (default) or max-norm (as NPEET). */
  readonly metric?: Metric;
  /**
   * The n-dependent term: ψ(n) (Kozachenko & Leonenko 1987; Kraskov et al. 2004, eq. (20); default)
   * or log(n − 1) (the original form of Kozachenko–Leonenko / Singh et al. 2003).
   */
  readonly form?: 'psi' | 'log';
}

/**
 * Kozachenko–Leonenko k-NN differential entropy (Kozachenko & Leonenko 1987; Kraskov, Stögbauer &
 * Grassberger 2004, eq. (20)):
 *
 *   Ĥ = ψ(n) − ψ(k) + log c_d + (d/n) Σ_i log ε_i,
 *
 * ε_i the distance from x_i to its k-th nearest neighbour among the other points, c_d the volume of
 * the unit ball of the metric: V_d = π^{d/2}/Γ(d/2+1) for Euclidean, 2^d for the max-norm. With
 * `form: 'log'`, ψ(n) is replaced by log(n − 1).
 *
 * `terms[i] = ψ(n) − ψ(k) + log c_d + d log ε_i`, so `value` is their mean (in nats before `base`).
 *
 * @example knn.entropy(samples, { k: 3 }).value  // ≈ 1.4189 for 5000 N(0,1) draws (truth ½log(2πe))
 */
export function entropy(x: Samples, options: EntropyOptions = {}): Estimate {
  let X = toMatrix(x, 'x');
  const k = checkK(options.k ?? 3, 'options.k', [{ rows: X.rows, arg: 'x', extra: 1 }]);
  const metric = options.metric ?? 'euclidean';
  if (metric !== 'euclidean' && metric !== 'max') throw new InvalidParameterError('options.metric', `must be 'euclidean' or 'max', got ${String(metric)}`);
  const form = options.form ?? 'psi';
  if (form !== 'psi' && form !== 'log') throw new InvalidParameterError('options.form', `must be 'psi' or 'log', got ${String(form)}`);
  [X] = prepareDuplicates(options, X);
  const { rows: n, cols: d } = X;
  const backend = selectBackend(options.backend, { n, m: n, d });
  const eps = backend.kthNeighborDistance(X, X, k, { metric, excludeSelf: true });
  assertPositiveDistances(eps, 'x', k);
  const logC = metric === 'max' ? d * Math.LN2 : logUnitBallVolume(d);
  const c = (form === 'psi' ? digamma(n) : Math.log(n - 1)) - digamma(k) + logC;
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = c + d * Math.log(eps[i]);
  return fromTerms(terms, options.base, {
    estimator: 'kozachenko-leonenko',
    params: { k, metric, form, duplicates: options.duplicates ?? 'error' },
    n, d, backend: backend.name,
  });
}
