import { cholesky, logDetFromCholesky } from '../core/linalg.js';
import { DimensionMismatchError } from '../core/errors.js';

/** A Gaussian N(mean, cov) with a d×d covariance (number[][] or row-major). */
export interface GaussianSpec { readonly mean: readonly number[]; readonly cov: readonly (readonly number[])[] }

function flat(c: readonly (readonly number[])[], d: number, add: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = c[i][j] + (i === j ? add : 0);
  return out;
}

/** log N(δ; 0, S) for a d×d SPD matrix S. */
function logGaussianAt(delta: readonly number[], S: Float64Array, d: number): number {
  const L = cholesky(S, d);
  // Solve L z = δ; quadratic form = ‖z‖².
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = delta[i];
    for (let k = 0; k < i; k++) s -= L[i * d + k] * z[k];
    z[i] = s / L[i * d + i];
  }
  let q = 0;
  for (let i = 0; i < d; i++) q += z[i] * z[i];
  return -0.5 * (d * Math.log(2 * Math.PI) + logDetFromCholesky(L, d) + q);
}

function dims(P: GaussianSpec, Q: GaussianSpec): number {
  const d = P.mean.length;
  if (Q.mean.length !== d || P.cov.length !== d || Q.cov.length !== d) throw new DimensionMismatchError('Q', `P has dimension ${d}, Q ${Q.mean.length}`);
  return d;
}

/**
 * Cauchy–Schwarz divergence between Gaussians, each smoothed by N(0, σ²I) (σ = 0: the Gaussians
 * themselves), from ∫ N(x; μ₁, Σ₁) N(x; μ₂, Σ₂) dx = N(μ₁; μ₂, Σ₁ + Σ₂) (Kampa, Hasanbelliu &
 * Príncipe 2011, IJCNN, §III):
 *   D_CS = −2 log N(μ₁; μ₂, Σ₁ + Σ₂ + 2σ²I) + log N(0; 0, 2Σ₁ + 2σ²I) + log N(0; 0, 2Σ₂ + 2σ²I).
 */
export function gaussianCauchySchwarz(P: GaussianSpec, Q: GaussianSpec, sigma = 0): number {
  const d = dims(P, Q);
  const s2 = sigma * sigma;
  const cross = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cross[i * d + j] = P.cov[i][j] + Q.cov[i][j] + (i === j ? 2 * s2 : 0);
  const delta = P.mean.map((v, i) => v - Q.mean[i]);
  const zero = new Array(d).fill(0);
  const pp = flat(P.cov, d, 0).map((v, k) => 2 * v + (k % (d + 1) === 0 ? 2 * s2 : 0));
  const qq = flat(Q.cov, d, 0).map((v, k) => 2 * v + (k % (d + 1) === 0 ? 2 * s2 : 0));
  return -2 * logGaussianAt(delta, cross, d) + logGaussianAt(zero, pp, d) + logGaussianAt(zero, qq, d);
}

/**
 * Population MMD² between N(μ₁, Σ₁) and N(μ₂, Σ₂) under k(x, y) = exp(−‖x − y‖²/(2h²)):
 * E k(X, X′) = det(I + 2Σ/h²)^{−1/2} for X, X′ iid N(μ, Σ), and
 * E k(X, Y) = det(I + (Σ₁ + Σ₂)/h²)^{−1/2} exp(−½ δᵀ(h²I + Σ₁ + Σ₂)^{−1} δ), δ = μ₁ − μ₂
 * (Gaussian integrals; e.g. Muandet, Fukumizu, Sriperumbudur & Schölkopf 2017, Found. Trends ML, Table 3.1).
 */
export function gaussianMmd2(P: GaussianSpec, Q: GaussianSpec, h: number): number {
  const d = dims(P, Q);
  const h2 = h * h;
  const logDet = (S: Float64Array) => logDetFromCholesky(cholesky(S, d), d);
  const eye = (S: Float64Array) => S.map((v, k) => v / h2 + (k % (d + 1) === 0 ? 1 : 0));
  const kpp = Math.exp(-0.5 * logDet(eye(flat(P.cov, d, 0).map((v) => 2 * v))));
  const kqq = Math.exp(-0.5 * logDet(eye(flat(Q.cov, d, 0).map((v) => 2 * v))));
  const sum = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) sum[i * d + j] = P.cov[i][j] + Q.cov[i][j];
  const delta = P.mean.map((v, i) => v - Q.mean[i]);
  // exp(−½ δᵀ(h²I + Σ₁ + Σ₂)^{−1} δ) = (2π)^{d/2} det(h²I + Σ₁ + Σ₂)^{1/2} N(δ; 0, h²I + Σ₁ + Σ₂)
  const A = sum.map((v, k) => v + (k % (d + 1) === 0 ? h2 : 0));
  const quad = logGaussianAt(delta, A, d) + 0.5 * (d * Math.log(2 * Math.PI) + logDet(A));
  const kpq = Math.exp(-0.5 * logDet(eye(sum)) + quad);
  return kpp + kqq - 2 * kpq;
}
