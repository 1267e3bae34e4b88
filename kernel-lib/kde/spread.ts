import { InvalidParameterError, TooFewSamplesError } from '../core/errors.js';
import { cholesky, logDetFromCholesky } from '../core/linalg.js';
import type { Matrix } from '../core/matrix.js';
import { NeumaierSum } from '../core/sum.js';

/**
 * What a KDE bandwidth factor multiplies: the data's spread.
 * - 'full' (scipy `gaussian_kde`): Σ = the (weighted) sample covariance, ddof = 1 —
 *   np.cov(x, aweights = w) = Σ_i w_i (x_i − x̄)(x_i − x̄)ᵀ / (V₁ − V₂/V₁), V₁ = Σw, V₂ = Σw²;
 * - 'diagonal': diag(Σ) only (a per-coordinate scale, as scikit-learn users whiten by hand);
 * - 'identity': Σ = I, the factor is the bandwidth in data units (scikit-learn `KernelDensity`).
 * The kernel covariance is factor² · Σ.
 */
export type SpreadKind = 'full' | 'diagonal' | 'identity';

export interface Spread {
  readonly kind: SpreadKind;
  /** Weighted column means x̄ (zeros for 'identity', which does not centre). */
  readonly mean: Float64Array;
  /** Σ, d×d row-major (after any regularisation). */
  readonly covariance: Float64Array;
  /** Lower Cholesky factor L of Σ (Σ = L Lᵀ). */
  readonly chol: Float64Array;
  /** log det Σ. */
  readonly logDet: number;
  /** Effective sample size (Σw)²/Σw² (= n unweighted). */
  readonly neff: number;
}

/**
 * The spread Σ of x (n×d, optional weights) and its Cholesky factor. Throws
 * {@link TooFewSamplesError} for n < 2 (no covariance) and {@link InvalidParameterError} naming `x`
 * when Σ is singular (all points equal in some direction, or d ≥ n); `regularize = λ > 0` adds
 * λ·(tr Σ / d) to the diagonal (λ when tr Σ = 0) — a documented ridge, off by default.
 */
export function spread(x: Matrix, kind: SpreadKind, weights: Float64Array | null, regularize = 0): Spread {
  const { rows: n, cols: d, data } = x;
  if (kind !== 'full' && kind !== 'diagonal' && kind !== 'identity') {
    throw new InvalidParameterError('options.covariance', `must be 'full', 'diagonal' or 'identity', got ${String(kind)}`);
  }
  if (!(regularize >= 0) || !Number.isFinite(regularize)) {
    throw new InvalidParameterError('options.regularize', `must be a finite number ≥ 0, got ${String(regularize)}`);
  }
  let v1 = n;
  let v2 = n;
  if (weights) {
    const a = new NeumaierSum();
    const b = new NeumaierSum();
    for (let i = 0; i < n; i++) {
      a.add(weights[i]);
      b.add(weights[i] * weights[i]);
    }
    v1 = a.value;
    v2 = b.value;
  }
  const neff = (v1 * v1) / v2;
  if (kind === 'identity') {
    const cov = new Float64Array(d * d);
    for (let c = 0; c < d; c++) cov[c * d + c] = 1;
    return { kind, mean: new Float64Array(d), covariance: cov, chol: cov.slice(), logDet: 0, neff };
  }
  if (n < 2) throw new TooFewSamplesError('x', `has ${n} point; a bandwidth relative to the data's covariance needs at least 2 (or use covariance: 'identity')`);
  const mean = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    const acc = new NeumaierSum();
    for (let i = 0; i < n; i++) acc.add((weights ? weights[i] : 1) * data[i * d + c]);
    mean[c] = acc.value / v1;
  }
  const cov = new Float64Array(d * d);
  const denom = v1 - v2 / v1;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      if (kind === 'diagonal' && a !== b) continue;
      const acc = new NeumaierSum();
      for (let i = 0; i < n; i++) acc.add((weights ? weights[i] : 1) * (data[i * d + a] - mean[a]) * (data[i * d + b] - mean[b]));
      cov[a * d + b] = cov[b * d + a] = acc.value / denom;
    }
  }
  if (regularize > 0) {
    let tr = 0;
    for (let c = 0; c < d; c++) tr += cov[c * d + c];
    const add = tr > 0 ? (regularize * tr) / d : regularize;
    for (let c = 0; c < d; c++) cov[c * d + c] += add;
  }
  let chol: Float64Array;
  try {
    chol = cholesky(cov, d, 'x');
  } catch {
    const why = d >= n ? `d = ${d} ≥ n = ${n}` : 'the points lie in a lower-dimensional subspace (e.g. all equal, or a constant column)';
    throw new InvalidParameterError('x', `the data covariance is singular (${why}); a KDE scaled by it does not exist — ` +
      `pass covariance: 'diagonal' or 'identity', or regularize: 1e-6 (adds 1e-6·tr Σ/d to the diagonal)`);
  }
  // Guard against a numerically singular factor (tiny pivots relative to the scale).
  let mx = 0;
  let mn = Infinity;
  for (let c = 0; c < d; c++) {
    mx = Math.max(mx, chol[c * d + c]);
    mn = Math.min(mn, chol[c * d + c]);
  }
  if (!(mn > 1e-12 * mx)) {
    throw new InvalidParameterError('x', `the data covariance is numerically singular (condition > 1e24); pass covariance: 'diagonal' or regularize: 1e-6`);
  }
  return { kind, mean, covariance: cov, chol, logDet: logDetFromCholesky(chol, d), neff };
}

/** z = L⁻¹(x − x̄) for every row (forward substitution): whitened coordinates. */
export function whiten(x: Matrix, s: Spread): Matrix {
  const { rows: n, cols: d } = x;
  const out = new Float64Array(n * d);
  const L = s.chol;
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      let v = x.data[i * d + a] - s.mean[a];
      for (let b = 0; b < a; b++) v -= L[a * d + b] * out[i * d + b];
      out[i * d + a] = v / L[a * d + a];
    }
  }
  return { data: out, rows: n, cols: d };
}
