import { InvalidParameterError } from '../core/errors.js';
import { assertSameDim, toMatrix, type Samples } from '../core/matrix.js';
import { mean, variance } from '../core/sum.js';
import { unitFor } from '../core/units.js';
import type { Estimate } from '../estimate.js';
import { fit, type KdeOptions } from './fit.js';

export interface KdeDivergenceOptions extends Omit<KdeOptions, 'weights'> {
  /** Rényi order α > 0; α = 1 (default) is KL. */
  readonly alpha?: number;
  /**
   * 'loo' (default): p̂ at x_i leaves x_i out; 'resubstitution': p̂ uses every x_j (biased up by
   * the self-term K(0)/n, which dominates for small bandwidths).
   */
  readonly method?: 'loo' | 'resubstitution';
  /** Logarithm base of the result (e = nats, default). */
  readonly base?: number;
}

/**
 * Plug-in divergence D(P‖Q) from x ~ P and y ~ Q through two KDEs p̂ (fitted on x) and q̂ (on y),
 * each with `bandwidth` chosen on its own sample:
 *   KL:      D̂ = (1/n) Σ_i [log p̂(x_i) − log q̂(x_i)]        (Ahmad & Lin 1976 resubstitution form),
 *   Rényi-α: D̂_α = 1/(α − 1) · log (1/n) Σ_i (p̂(x_i)/q̂(x_i))^{α−1},
 * the Monte-Carlo forms of D = E_P[log p/q] and D_α = log E_P[(p/q)^{α−1}]/(α−1). `terms` are the log
 * ratios log p̂(x_i) − log q̂(x_i); `extra` holds the other method's value. For comparison with the
 * k-NN family (`knn.kl`, `knn.renyi`), which needs no bandwidth.
 */
export function divergence(x: Samples, y: Samples, options: KdeDivergenceOptions = {}): Estimate {
  const X = toMatrix(x, 'x');
  const Y = toMatrix(y, 'y');
  assertSameDim(X, Y, 'x', 'y');
  const alpha = options.alpha ?? 1;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || !(alpha > 0)) {
    throw new InvalidParameterError('options.alpha', `must be a finite number > 0 (1 = KL), got ${String(alpha)}`);
  }
  const method = options.method ?? 'loo';
  if (method !== 'loo' && method !== 'resubstitution') {
    throw new InvalidParameterError('options.method', `must be 'loo' or 'resubstitution', got ${String(method)}`);
  }
  const { scale, unit } = unitFor(options.base);
  const { alpha: _a, method: _m, base: _b, ...kdeOpts } = options;
  const p = fit(X, kdeOpts);
  const q = fit(Y, kdeOpts);
  const lq = q.logDensity(X);
  const lpLoo = p.logDensityLoo();
  const lpRes = p.logDensity(X);
  const value = (lp: Float64Array): { v: number; t: Float64Array } => {
    const t = new Float64Array(X.rows);
    for (let i = 0; i < t.length; i++) t[i] = lp[i] - lq[i];
    for (let i = 0; i < t.length; i++) {
      if (!Number.isFinite(t[i])) {
        throw new InvalidParameterError('options.bandwidth', `log p̂(x_${i}) − log q̂(x_${i}) = ${t[i]}: the Epanechnikov support of one KDE misses x_${i}; widen the bandwidth or use the gaussian kernel`);
      }
    }
    if (alpha === 1) return { v: mean(t), t };
    // log mean exp((α − 1) t), max-shifted.
    let mx = -Infinity;
    for (const v of t) mx = Math.max(mx, (alpha - 1) * v);
    let s = 0;
    for (const v of t) s += Math.exp((alpha - 1) * v - mx);
    return { v: (mx + Math.log(s / t.length)) / (alpha - 1), t };
  };
  const loo = value(lpLoo);
  const res = value(lpRes);
  const main = method === 'loo' ? loo : res;
  const other = method === 'loo' ? res : loo;
  const stderr = alpha === 1 && X.rows > 1 ? Math.sqrt(variance(main.t) / X.rows) / scale : undefined;
  return {
    value: main.v / scale,
    unit,
    estimator: alpha === 1 ? `kde-plugin-kl-${method}` : `kde-plugin-renyi-${method}`,
    params: { alpha, method, bandwidth: options.bandwidth ?? 'scott', kernel: p.kernel, covariance: options.covariance ?? 'full',
      bandwidthP: p.bandwidth_, bandwidthQ: q.bandwidth_ },
    n: X.rows, m: Y.rows, d: X.cols,
    terms: main.t,
    ...(stderr !== undefined ? { stderr } : {}),
    extra: { [method === 'loo' ? 'resubstitution' : 'loo']: other.v / scale, bandwidthP: p.bandwidth_, bandwidthQ: q.bandwidth_ },
    backend: options.backend === 'gpu' ? 'gpu' : 'cpu',
  };
}
