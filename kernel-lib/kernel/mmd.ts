import { InvalidParameterError, TooFewSamplesError } from '../core/errors.js';
import { assertSameDim, toMatrix, vstack, type Matrix, type Samples } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { sum } from '../core/sum.js';
import { selectBackend } from '../backend/index.js';
import { kernelSums } from '../backend/kernel-sums.js';
import { kernelDisplacements } from '../backend/kernel-displacements.js';
import { resolveBandwidth, type Bandwidth } from './bandwidth.js';

export interface MmdOptions {
  /** Gaussian kernel bandwidth (default `'median'`). */
  readonly bandwidth?: Bandwidth;
  /** Report the unbiased U-statistic (default true) or the biased V-statistic as `value`. */
  readonly unbiased?: boolean;
  /** Permutations of the pooled sample for the p-value (default 200; 0 skips the test). */
  readonly permutations?: number;
  /** Seed of the permutations and of the median heuristic's subsample (default 0). */
  readonly seed?: number;
  /** Kernel sums on the float64 CPU path, gpu.js, or chosen by size (default 'auto'). */
  readonly backend?: 'cpu' | 'gpu' | 'auto';
  /** Also return ∂value/∂x and ∂value/∂y at the fixed bandwidth (default false). */
  readonly grad?: boolean;
}

export interface MmdResult {
  /** MMD² (unbiased or biased, per `unbiased`), in squared RKHS-norm units (kernel values). */
  readonly value: number;
  readonly mmd2Unbiased: number;
  readonly mmd2Biased: number;
  /** Permutation p-value (1 + #{T_π ≥ T})/(1 + B) of the statistic `value`; NaN-free, 1 with B = 0. */
  readonly pValue: number;
  readonly permutations: number;
  /** The bandwidth used (data units). */
  readonly bandwidth: number;
  readonly estimator: 'mmd2-unbiased' | 'mmd2-biased';
  readonly params: Readonly<Record<string, unknown>>;
  readonly n: number;
  readonly m: number;
  readonly d: number;
  readonly backend: 'cpu' | 'gpu';
  /**
   * With `grad: true`, ∂value/∂x_p (n × d, row-major) and ∂value/∂y_q (m × d) with the bandwidth
   * held fixed (as when MMD² is a training loss); otherwise null.
   */
  readonly gradX: Float64Array | null;
  readonly gradY: Float64Array | null;
}

/**
 * Maximum mean discrepancy with the Gaussian kernel k(x, y) = exp(−‖x − y‖²/(2h²)) (Gretton,
 * Borgwardt, Rasch, Schölkopf & Smola 2012, JMLR 13): from x (n rows) ~ P and y (m rows) ~ Q,
 *   MMD²_u = 1/(n(n−1)) Σ_{i≠j} k(x_i, x_j) + 1/(m(m−1)) Σ_{i≠j} k(y_i, y_j) − 2/(nm) Σ_ij k(x_i, y_j)   (eq. (3)),
 *   MMD²_b = 1/n² Σ_ij k(x_i, x_j) + 1/m² Σ_ij k(y_i, y_j) − 2/(nm) Σ_ij k(x_i, y_j)                   (eq. (5)).
 * The three sums come from the kernel-sum reduction (kernel-lib/backend/kernel-sums.ts; float64 or
 * gpu.js). The p-value is a permutation test (§5 / Gretton et al. 2009, NeurIPS): the (n+m)² kernel
 * matrix is formed once, the pooled labels are permuted B times with the seeded generator, and
 * p = (1 + #{T_π ≥ T})/(1 + B), a valid (slightly conservative) p-value (Phipson & Smyth 2010).
 *
 * Gradients (`grad: true`), at fixed h, with ∇_a k(a, b) = −k(a, b)(a − b)/h² and the kernel-weighted
 * displacements s_p δ_p = Σ_j k(x_p, ·_j)(x_p − ·_j) of `kernelDisplacements`:
 *   ∂MMD²/∂x_p = (2/h²) [ (1/(nm)) s^{xy}_p δ^{xy}_p − c_x s^{xx}_p δ^{xx}_p ],
 *   ∂MMD²/∂y_q = (2/h²) [ (1/(nm)) s^{yx}_q δ^{yx}_q − c_y s^{yy}_q δ^{yy}_q ],
 * c_x = 1/(n(n−1)) (unbiased) or 1/n² (biased), likewise c_y; the diagonal k(x_p, x_p) = 1 has no
 * gradient. This is the generator's gradient of moment-matching networks (Li, Swersky & Zemel 2015;
 * Dziugaite, Roy & Ghahramani 2015). With a data-dependent bandwidth ('median', rules) the gradient
 * treats the resolved h as a constant.
 *
 * @example kernel.mmd(x, y, { bandwidth: 'median', permutations: 200 })  // { value, pValue, bandwidth, ... }
 */
export function mmd(x: Samples, y: Samples, options: MmdOptions = {}): MmdResult {
  const X = toMatrix(x, 'x');
  const Y = toMatrix(y, 'y');
  assertSameDim(X, Y, 'x', 'y');
  const n = X.rows, m = Y.rows, d = X.cols;
  if (n < 2) throw new TooFewSamplesError('x', `has ${n} point; MMD needs at least 2 per sample`);
  if (m < 2) throw new TooFewSamplesError('y', `has ${m} point; MMD needs at least 2 per sample`);
  const B = options.permutations ?? 200;
  if (!Number.isInteger(B) || B < 0) throw new InvalidParameterError('options.permutations', `must be an integer ≥ 0, got ${String(options.permutations)}`);
  const unbiased = options.unbiased ?? true;
  const seed = options.seed ?? 0;
  const Z = vstack(X, Y);
  const h = resolveBandwidth(options.bandwidth, Z, seed);
  const ks = { h, backend: options.backend };
  const sxx = sum(kernelSums(X, X, ks));
  const syy = sum(kernelSums(Y, Y, ks));
  const sxy = sum(kernelSums(X, Y, ks));
  const backendName = selectBackend(options.backend, { n: n + m, m: n + m, d }).name;
  // Diagonal terms k(x_i, x_i) = 1 are n and m of the full sums.
  const mmdB = sxx / (n * n) + syy / (m * m) - (2 * sxy) / (n * m);
  const mmdU = (sxx - n) / (n * (n - 1)) + (syy - m) / (m * (m - 1)) - (2 * sxy) / (n * m);
  const value = unbiased ? mmdU : mmdB;
  let pValue = 1;
  if (B > 0) pValue = permutationPValue(Z, n, h, unbiased, value, B, seed, options.backend);
  let gradX: Float64Array | null = null, gradY: Float64Array | null = null;
  if (options.grad) {
    const cx = unbiased ? 1 / (n * (n - 1)) : 1 / (n * n);
    const cy = unbiased ? 1 / (m * (m - 1)) : 1 / (m * m);
    gradX = mmdGradient(X, Y, cx, 1 / (n * m), h, options.backend);
    gradY = mmdGradient(Y, X, cy, 1 / (n * m), h, options.backend);
  }
  return {
    value, mmd2Unbiased: mmdU, mmd2Biased: mmdB, pValue, permutations: B, bandwidth: h,
    estimator: unbiased ? 'mmd2-unbiased' : 'mmd2-biased',
    params: { bandwidth: options.bandwidth ?? 'median', h, unbiased, permutations: B, seed, grad: options.grad ?? false },
    n, m, d, backend: backendName, gradX, gradY,
  };
}

/** (2/h²)[c_cross s^{ab}_p δ^{ab}_p − c_self s^{aa}_p δ^{aa}_p] for every row p of a (doc of {@link mmd}). */
function mmdGradient(a: Matrix, b: Matrix, cSelf: number, cCross: number, h: number, backend: MmdOptions['backend']): Float64Array {
  const d = a.cols;
  const same = kernelDisplacements(a, a, { h, backend });
  const cross = kernelDisplacements(a, b, { h, backend });
  const g = new Float64Array(a.rows * d);
  const f = 2 / (h * h);
  for (let p = 0; p < a.rows; p++) {
    const ws = cSelf * Math.exp(same.logSums[p]);
    const wc = cCross * Math.exp(cross.logSums[p]);
    for (let c = 0; c < d; c++) g[p * d + c] = f * (wc * cross.delta[p * d + c] - ws * same.delta[p * d + c]);
  }
  return g;
}

/**
 * Permutation p-value of the MMD² statistic: the pooled kernel matrix K (through the backend's
 * pairwise distances) once, then per permutation the block sums S_xx (off-diagonal), S_xy from the
 * permuted labels in O((n+m)²), S_yy = T − S_xx − 2 S_xy with T the off-diagonal total.
 */
function permutationPValue(Z: { data: Float64Array; rows: number; cols: number }, n: number, h: number, unbiased: boolean,
  observed: number, B: number, seed: number, backend: 'cpu' | 'gpu' | 'auto' | undefined): number {
  const N = Z.rows, m = N - n;
  const D = selectBackend(backend, { n: N, m: N, d: Z.cols }).pairwiseDistances(Z, Z, 'euclidean');
  const K = new Float64Array(N * N);
  const c = -0.5 / (h * h);
  let total = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const v = i === j ? 1 : Math.exp(c * D[i * N + j] * D[i * N + j]);
      K[i * N + j] = v;
      if (i !== j) total += v;
    }
  }
  const rng = new Rng(seed ^ 0x5bd1e995);
  const isX = new Uint8Array(N);
  let exceed = 0;
  // Tolerance for ties with the observed statistic (identical label splits reproduce it up to round-off).
  const tieTol = 1e-12 * Math.max(1, Math.abs(observed));
  for (let b = 0; b < B; b++) {
    const perm = rng.permutation(N);
    isX.fill(0);
    for (let i = 0; i < n; i++) isX[perm[i]] = 1;
    let sxx = 0, sxy = 0;
    for (let i = 0; i < N; i++) {
      if (!isX[i]) continue;
      const off = i * N;
      for (let j = 0; j < N; j++) {
        if (j === i) continue;
        if (isX[j]) sxx += K[off + j];
        else sxy += K[off + j];
      }
    }
    const syy = total - sxx - 2 * sxy;
    const t = unbiased
      ? sxx / (n * (n - 1)) + syy / (m * (m - 1)) - (2 * sxy) / (n * m)
      : (sxx + n) / (n * n) + (syy + m) / (m * m) - (2 * sxy) / (n * m);
    if (t >= observed - tieTol) exceed++;
  }
  return (1 + exceed) / (1 + B);
}
