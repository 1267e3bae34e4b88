import { cholesky, inverseSpd, logDetFromCholesky, matmul, trace } from '../core/linalg.js';
import { InvalidParameterError } from '../core/errors.js';

/**
 * Closed-form information quantities of multivariate Gaussians, in nats. These are the truths the
 * estimators are tested against.
 */

export interface GaussianParams {
  /** Mean vector, length d. */
  readonly mean: ArrayLike<number>;
  /** Covariance, d×d, row-major flat or number[][]. */
  readonly cov: ArrayLike<number> | readonly (readonly number[])[];
}

function flatCov(cov: GaussianParams['cov'], d: number): Float64Array {
  if (Array.isArray(cov) && Array.isArray(cov[0])) {
    const rows = cov as readonly (readonly number[])[];
    const out = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = rows[i][j];
    return out;
  }
  const flat = Float64Array.from(cov as ArrayLike<number>);
  if (flat.length !== d * d) throw new InvalidParameterError('cov', `expected ${d}×${d} entries, got ${flat.length}`);
  return flat;
}

/** Differential entropy H(N(μ, Σ)) = ½ log((2πe)^d |Σ|). */
export function gaussianEntropy(cov: GaussianParams['cov'], d: number): number {
  const l = cholesky(flatCov(cov, d), d, 'cov');
  return 0.5 * (d * Math.log(2 * Math.PI * Math.E) + logDetFromCholesky(l, d));
}

/** KL(N(μ_p, Σ_p) ‖ N(μ_q, Σ_q)) = ½ [tr(Σ_q⁻¹Σ_p) + (μ_q−μ_p)ᵀΣ_q⁻¹(μ_q−μ_p) − d + log(|Σ_q|/|Σ_p|)]. */
export function gaussianKl(p: GaussianParams, q: GaussianParams): number {
  const d = p.mean.length;
  const sp = flatCov(p.cov, d);
  const sq = flatCov(q.cov, d);
  const qi = inverseSpd(sq, d, 'q.cov');
  const lp = cholesky(sp, d, 'p.cov');
  const lq = cholesky(sq, d, 'q.cov');
  const tr = trace(matmul(qi, sp, d, d, d), d);
  let quad = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) quad += (q.mean[i] - p.mean[i]) * qi[i * d + j] * (q.mean[j] - p.mean[j]);
  }
  return 0.5 * (tr + quad - d + logDetFromCholesky(lq, d) - logDetFromCholesky(lp, d));
}

/**
 * Rényi-α divergence D_α(P‖Q) = 1/(α−1) log ∫ p^α q^{1−α} between Gaussians (Gil, Alajaji & Linder 2013,
 * eq. (10)): with Σ_α = α Σ_q + (1−α) Σ_p (must be positive definite),
 * D_α = α/2 Δμᵀ Σ_α⁻¹ Δμ − 1/(2(α−1)) log( |Σ_α| / (|Σ_p|^{1−α} |Σ_q|^α) ).
 */
export function gaussianRenyi(p: GaussianParams, q: GaussianParams, alpha: number): number {
  if (!(alpha > 0) || alpha === 1) throw new InvalidParameterError('alpha', `must be > 0 and ≠ 1, got ${alpha}`);
  const d = p.mean.length;
  const sp = flatCov(p.cov, d);
  const sq = flatCov(q.cov, d);
  const sa = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) sa[i] = alpha * sq[i] + (1 - alpha) * sp[i];
  const la = cholesky(sa, d, 'alpha·q.cov + (1−alpha)·p.cov');
  const ai = inverseSpd(sa, d);
  let quad = 0;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) quad += (p.mean[i] - q.mean[i]) * ai[i * d + j] * (p.mean[j] - q.mean[j]);
  }
  const ldp = logDetFromCholesky(cholesky(sp, d, 'p.cov'), d);
  const ldq = logDetFromCholesky(cholesky(sq, d, 'q.cov'), d);
  const lda = logDetFromCholesky(la, d);
  return (alpha / 2) * quad - (1 / (2 * (alpha - 1))) * (lda - (1 - alpha) * ldp - alpha * ldq);
}

/**
 * Mutual information of a jointly Gaussian (X, Y) with joint covariance `cov` ((dx+dy)²):
 * I = ½ log(|Σ_X| |Σ_Y| / |Σ|). For scalar X, Y with correlation ρ: I = −½ log(1 − ρ²).
 */
export function gaussianMutualInfo(cov: GaussianParams['cov'], dx: number, dy: number): number {
  const d = dx + dy;
  const s = flatCov(cov, d);
  const sx = new Float64Array(dx * dx);
  const sy = new Float64Array(dy * dy);
  for (let i = 0; i < dx; i++) for (let j = 0; j < dx; j++) sx[i * dx + j] = s[i * d + j];
  for (let i = 0; i < dy; i++) for (let j = 0; j < dy; j++) sy[i * dy + j] = s[(dx + i) * d + dx + j];
  const ld = logDetFromCholesky(cholesky(s, d, 'cov'), d);
  const ldx = logDetFromCholesky(cholesky(sx, dx, 'cov[X]'), dx);
  const ldy = logDetFromCholesky(cholesky(sy, dy, 'cov[Y]'), dy);
  return 0.5 * (ldx + ldy - ld);
}
