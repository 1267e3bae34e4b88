import { InvalidParameterError } from '../core/errors.js';
import { assertSameDim, toMatrix, type Samples } from '../core/matrix.js';
import { lgamma } from '../core/special.js';
import { logSumExp, mean, variance } from '../core/sum.js';
import { unitFor } from '../core/units.js';
import { selectBackend } from '../backend/index.js';
import type { Estimate } from '../estimate.js';
import { checkK, crossSampleDistances, prepareDuplicates, type KnnOptions } from './common.js';

export interface RenyiOptions extends KnnOptions {
  /** Order α > 0, α ≠ 1. */
  readonly alpha: number;
}

/**
 * log B_{k,α} = 2 log Γ(k) − log Γ(k − α + 1) − log Γ(k + α − 1), the bias-correction constant of
 * Póczos & Schneider (2011, eq. (8)); finite when k > |α − 1|.
 */
export function logBiasConstant(k: number, alpha: number): number {
  return 2 * lgamma(k) - lgamma(k - alpha + 1) - lgamma(k + alpha - 1);
}

/**
 * Póczos–Schneider k-NN estimator of the Rényi-α divergence D_α(P‖Q) = 1/(α−1) log ∫ p^α q^{1−α}
 * (Póczos & Schneider 2011, AISTATS, "On the estimation of α-divergences", eqs. (6)–(8)):
 *
 *   D̂_α-integral = B_{k,α} (1/n) Σ_i ((n − 1) ρ_k(i)^d / (m ν_k(i)^d))^{1−α},
 *   B_{k,α} = Γ(k)² / (Γ(k − α + 1) Γ(k + α − 1)),
 *   D̂_α = log(D̂_α-integral) / (α − 1),
 *
 * with ρ_k, ν_k as in the Wang–Kulkarni–Verdú estimator (Euclidean). The average is computed as a
 * max-shifted log-mean-exp so it neither overflows nor underflows. Needs k > |α − 1|.
 * `terms[i]` are the summands ((n−1)ρ^d/(mν^d))^{1−α}; `extra.integral` is D̂_α-integral and
 * `extra.logB` is log B_{k,α}. `stderr` is the delta-method standard error.
 */
export function renyi(x: Samples, y: Samples, options: RenyiOptions): Estimate {
  const alpha = options?.alpha;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0 || alpha === 1) {
    throw new InvalidParameterError('options.alpha', `must be a finite number > 0 and ≠ 1 (use knn.kl for α → 1), got ${String(alpha)}`);
  }
  let X = toMatrix(x, 'x');
  let Y = toMatrix(y, 'y');
  assertSameDim(X, Y, 'x', 'y');
  const k = checkK(options.k ?? 5, 'options.k', [{ rows: X.rows, arg: 'x', extra: 1 }, { rows: Y.rows, arg: 'y', extra: 0 }]);
  if (!(k > Math.abs(alpha - 1))) {
    throw new InvalidParameterError('options.k', `must exceed |alpha − 1| = ${Math.abs(alpha - 1)} for the bias constant B_{k,α} to exist; raise k`);
  }
  [X, Y] = prepareDuplicates(options, X, Y);
  const { rows: n, cols: d } = X;
  const m = Y.rows;
  const backend = selectBackend(options.backend, { n, m: n + m, d });
  const { rho, nu } = crossSampleDistances(backend, X, Y, k);
  const logRatio = Math.log((n - 1) / m);
  const logTerms = new Float64Array(n);
  for (let i = 0; i < n; i++) logTerms[i] = (1 - alpha) * (logRatio + d * (Math.log(rho[i]) - Math.log(nu[i])));
  const logB = logBiasConstant(k, alpha);
  const logIntegral = logB + logSumExp(logTerms) - Math.log(n);
  const terms = logTerms.map(Math.exp);
  const nats = logIntegral / (alpha - 1);
  const { scale, unit } = unitFor(options.base);
  const mu = mean(terms);
  const stderr = n > 1 ? Math.sqrt(variance(terms) / n) / (mu * Math.abs(alpha - 1)) / scale : undefined;
  return {
    value: nats / scale, unit, estimator: 'poczos-schneider',
    params: { k, alpha, duplicates: options.duplicates ?? 'error' },
    n, m, d, terms, ...(stderr !== undefined && Number.isFinite(stderr) ? { stderr } : {}),
    extra: { integral: Math.exp(logIntegral), logB },
    backend: backend.name,
  };
}
