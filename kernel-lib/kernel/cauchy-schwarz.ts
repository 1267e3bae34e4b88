import { TooFewSamplesError } from '../core/errors.js';
import { assertSameDim, toMatrix, vstack, type Samples } from '../core/matrix.js';
import { logSumExp } from '../core/sum.js';
import { unitFor } from '../core/units.js';
import { selectBackend } from '../backend/index.js';
import { logKernelSums } from '../backend/kernel-sums.js';
import { kernelDisplacements } from '../backend/kernel-displacements.js';
import type { Matrix } from '../core/matrix.js';
import type { Estimate } from '../estimate.js';
import { resolveBandwidth, type Bandwidth } from './bandwidth.js';

export interface CauchySchwarzOptions {
  /** Parzen window width σ of each density estimate (default 'scott'); see {@link Bandwidth}. */
  readonly bandwidth?: Bandwidth;
  /** Logarithm base of the result (default e: nats). */
  readonly base?: number;
  readonly backend?: 'cpu' | 'gpu' | 'auto';
  /** Seed of the median heuristic's subsample (default 0). */
  readonly seed?: number;
  /** Also return ∂value/∂x and ∂value/∂y at the fixed window width (default false). */
  readonly grad?: boolean;
}

export interface CauchySchwarzResult extends Estimate {
  /**
   * With `grad: true`, ∂value/∂x_p (n × d, row-major) and ∂value/∂y_q (m × d), in the result's unit,
   * with σ held fixed; otherwise null.
   */
  readonly gradX: Float64Array | null;
  readonly gradY: Float64Array | null;
}

/**
 * Cauchy–Schwarz divergence between the Parzen (Gaussian KDE) estimates of P (from x) and Q (from y)
 * with window width σ (Jenssen, Príncipe, Erdogmus & Eltoft 2006, J. Franklin Inst. 343(6), §2–3):
 *   D_CS(p, q) = −log( (∫ p q)² / (∫ p² ∫ q²) ) = −2 log ∫ p̂ q̂ + log ∫ p̂² + log ∫ q̂²,
 * where the integrals of products of Gaussian windows are Gaussians of width σ√2
 * (∫ G_σ(t − a) G_σ(t − b) dt = G_{σ√2}(a − b)), so that, the normalising constants cancelling,
 *   D_CS = −2 log[(1/nm) Σ_ij k(x_i, y_j)] + log[(1/n²) Σ_ij k(x_i, x_j)] + log[(1/m²) Σ_ij k(y_i, y_j)],
 *   k(a, b) = exp(−‖a − b‖²/(4σ²)) —
 * three kernel sums at h = σ√2, taken in log space (logKernelSums + log-sum-exp) so the divergence stays
 * finite when the samples are far apart. D_CS ≥ 0, = 0 iff p̂ = q̂; it is the divergence between the
 * smoothed densities P∗N(0, σ²I) and Q∗N(0, σ²I) (closed form for Gaussians: {@link gaussianCauchySchwarz}).
 *
 * Gradients (`grad: true`), with h = σ√2, S_ab = Σ_ij k(a_i, b_j), s^{ab}_p = Σ_j k(a_p, b_j) and the
 * kernel-weighted displacements δ^{ab}_p of `kernelDisplacements`:
 *   ∂D_CS/∂x_p = (2/h²) [ (s^{xy}_p / S_xy) δ^{xy}_p − (s^{xx}_p / S_xx) δ^{xx}_p ],
 * and likewise for y_q with x and y exchanged (the self-sum's two occurrences of x_p give its factor
 * 2). The ratios s_p/S are taken in log space, so the gradient stays finite where the value does.
 * It is the gradient of the unclamped expression (the clamp at 0 only removes round-off), with σ
 * held fixed when it was resolved from the data.
 */
export function cauchySchwarz(x: Samples, y: Samples, options: CauchySchwarzOptions = {}): CauchySchwarzResult {
  const X = toMatrix(x, 'x');
  const Y = toMatrix(y, 'y');
  assertSameDim(X, Y, 'x', 'y');
  const n = X.rows, m = Y.rows, d = X.cols;
  if (n < 2) throw new TooFewSamplesError('x', `has ${n} point; the Cauchy–Schwarz estimate needs at least 2`);
  if (m < 2) throw new TooFewSamplesError('y', `has ${m} point; the Cauchy–Schwarz estimate needs at least 2`);
  const { scale, unit } = unitFor(options.base);
  const sigma = resolveBandwidth(options.bandwidth ?? 'scott', vstack(X, Y), options.seed ?? 0);
  const ks = { h: sigma * Math.SQRT2, backend: options.backend };
  const lxx = logSumExp(logKernelSums(X, X, ks)) - 2 * Math.log(n);
  const lyy = logSumExp(logKernelSums(Y, Y, ks)) - 2 * Math.log(m);
  const lxy = logSumExp(logKernelSums(X, Y, ks)) - Math.log(n) - Math.log(m);
  const value = Math.max(0, -2 * lxy + lxx + lyy);
  let gradX: Float64Array | null = null, gradY: Float64Array | null = null;
  if (options.grad) {
    gradX = csGradient(X, Y, ks.h, scale, options.backend);
    gradY = csGradient(Y, X, ks.h, scale, options.backend);
  }
  return {
    value: value / scale, unit, estimator: 'cauchy-schwarz-parzen',
    params: { bandwidth: options.bandwidth ?? 'scott', sigma, grad: options.grad ?? false },
    n, m, d,
    extra: { logCrossInformationPotential: lxy, logInformationPotentialX: lxx, logInformationPotentialY: lyy, sigma },
    backend: selectBackend(options.backend, { n: n + m, m: n + m, d }).name,
    gradX, gradY,
  };
}

/** (2/h²)[(s^{ab}_p/S_ab) δ^{ab}_p − (s^{aa}_p/S_aa) δ^{aa}_p] / scale for every row p of a (doc above). */
function csGradient(a: Matrix, b: Matrix, h: number, scale: number, backend: CauchySchwarzOptions['backend']): Float64Array {
  const d = a.cols;
  const same = kernelDisplacements(a, a, { h, backend });
  const cross = kernelDisplacements(a, b, { h, backend });
  const lSame = logSumExp(same.logSums), lCross = logSumExp(cross.logSums);
  const f = 2 / (h * h * scale);
  const g = new Float64Array(a.rows * d);
  for (let p = 0; p < a.rows; p++) {
    const ws = Math.exp(same.logSums[p] - lSame);
    const wc = Math.exp(cross.logSums[p] - lCross);
    for (let c = 0; c < d; c++) g[p * d + c] = f * (wc * cross.delta[p * d + c] - ws * same.delta[p * d + c]);
  }
  return g;
}
