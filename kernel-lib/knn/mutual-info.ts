import { InvalidParameterError } from '../core/errors.js';
import { assertSameRows, hstack, toMatrix, type Matrix, type Samples } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { digamma } from '../core/special.js';
import { selectBackend } from '../backend/index.js';
import type { BaseOptions, Estimate } from '../estimate.js';
import { checkK, columnStd, fromTerms } from './common.js';

export interface MutualInfoOptions extends BaseOptions {
  /** Neighbour rank k (default 3, as scikit-learn). */
  readonly k?: number;
  /** KSG estimator 1 (eq. (8)) or 2 (eq. (9)) of Kraskov et al. (2004). Default 1. */
  readonly variant?: 1 | 2;
  /** Divide every column by its population standard deviation first (scikit-learn does). Default false. */
  readonly standardize?: boolean;
  /**
   * Add N(0, (noise · max(1, mean|column|))²) noise per coordinate to break ties, as scikit-learn
   * does with noise = 1e-10 (Kraskov et al. 2004 recommend tiny noise for discretised data).
   * Default 0 (no noise).
   */
  readonly noise?: number;
  /** Seed for `noise` (default 0). */
  readonly seed?: number;
  /** Clip a negative estimate at 0 (scikit-learn does). Default false: report the raw estimate. */
  readonly clip?: boolean;
}

function standardized(m: Matrix): Matrix {
  const sd = columnStd(m);
  const data = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    for (let c = 0; c < m.cols; c++) data[i * m.cols + c] = m.data[i * m.cols + c] / (sd[c] > 0 ? sd[c] : 1);
  }
  return { data, rows: m.rows, cols: m.cols };
}

function noisy(m: Matrix, level: number, rng: Rng): Matrix {
  const data = Float64Array.from(m.data);
  for (let c = 0; c < m.cols; c++) {
    let s = 0;
    for (let i = 0; i < m.rows; i++) s += Math.abs(m.data[i * m.cols + c]);
    const scale = level * Math.max(1, s / m.rows);
    for (let i = 0; i < m.rows; i++) data[i * m.cols + c] += scale * rng.normal();
  }
  return { data, rows: m.rows, cols: m.cols };
}

/**
 * Kraskov–Stögbauer–Grassberger k-NN mutual information I(X; Y) from paired samples (x_i, y_i)
 * (Kraskov, Stögbauer & Grassberger 2004, Phys. Rev. E 69, 066138), max-norm in every space:
 *
 * Variant 1 (eq. (8)):  Î = ψ(k) + ψ(N) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩, where ε_i is the max-norm
 *   distance from z_i = (x_i, y_i) to its k-th neighbour in the joint space and
 *   n_x(i) = #{j ≠ i : ‖x_j − x_i‖ < ε_i} (strictly less), likewise n_y.
 * Variant 2 (eq. (9)):  Î = ψ(k) − 1/k + ψ(N) − ⟨ψ(n_x) + ψ(n_y)⟩, where ε_x(i), ε_y(i) are the
 *   largest x- and y-distances among the k joint neighbours of z_i and
 *   n_x(i) = #{j ≠ i : ‖x_j − x_i‖ ≤ ε_x(i)}, likewise n_y.
 *
 * `terms[i]` are the per-point summands, so `value` is their mean. Max-norm KSG is not invariant to
 * separate rescaling of x and y: `standardize: true` reproduces scikit-learn's preprocessing.
 */
export function mutualInfo(x: Samples, y: Samples, options: MutualInfoOptions = {}): Estimate {
  let X = toMatrix(x, 'x');
  let Y = toMatrix(y, 'y');
  assertSameRows(X, Y, 'x', 'y');
  const variant = options.variant ?? 1;
  if (variant !== 1 && variant !== 2) throw new InvalidParameterError('options.variant', `must be 1 or 2, got ${String(variant)}`);
  const k = checkK(options.k ?? 3, 'options.k', [{ rows: X.rows, arg: 'x', extra: 1 }]);
  const noise = options.noise ?? 0;
  if (!(noise >= 0) || !Number.isFinite(noise)) throw new InvalidParameterError('options.noise', `must be a finite number ≥ 0, got ${String(noise)}`);
  if (options.standardize) {
    X = standardized(X);
    Y = standardized(Y);
  }
  if (noise > 0) {
    const rng = new Rng(options.seed ?? 0);
    X = noisy(X, noise, rng);
    Y = noisy(Y, noise, rng);
  }
  const n = X.rows;
  const J = hstack(X, Y);
  const backend = selectBackend(options.backend, { n, m: n, d: J.cols });
  const terms = new Float64Array(n);
  if (variant === 1) {
    const eps = backend.kthNeighborDistance(J, J, k, { metric: 'max', excludeSelf: true });
    const nx = backend.countWithinRadius(X, X, eps, { metric: 'max', strict: true, excludeSelf: true });
    const ny = backend.countWithinRadius(Y, Y, eps, { metric: 'max', strict: true, excludeSelf: true });
    const c = digamma(k) + digamma(n);
    for (let i = 0; i < n; i++) terms[i] = c - digamma(nx[i] + 1) - digamma(ny[i] + 1);
  } else {
    const { indices } = backend.kNearest(J, J, k, { metric: 'max', excludeSelf: true });
    const ex = new Float64Array(n);
    const ey = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let mx = 0;
      let my = 0;
      for (let r = 0; r < k; r++) {
        const j = indices[i * k + r];
        for (let c = 0; c < X.cols; c++) mx = Math.max(mx, Math.abs(X.data[j * X.cols + c] - X.data[i * X.cols + c]));
        for (let c = 0; c < Y.cols; c++) my = Math.max(my, Math.abs(Y.data[j * Y.cols + c] - Y.data[i * Y.cols + c]));
      }
      ex[i] = mx;
      ey[i] = my;
    }
    const nx = backend.countWithinRadius(X, X, ex, { metric: 'max', strict: false, excludeSelf: true });
    const ny = backend.countWithinRadius(Y, Y, ey, { metric: 'max', strict: false, excludeSelf: true });
    const c = digamma(k) - 1 / k + digamma(n);
    for (let i = 0; i < n; i++) terms[i] = c - digamma(nx[i]) - digamma(ny[i]);
  }
  const est = fromTerms(terms, options.base, {
    estimator: variant === 1 ? 'ksg-1' : 'ksg-2',
    params: { k, variant, standardize: !!options.standardize, noise, clip: !!options.clip },
    n, m: n, d: J.cols, backend: backend.name,
  });
  const extra = { dx: X.cols, dy: Y.cols };
  return options.clip && est.value < 0 ? { ...est, value: 0, extra } : { ...est, extra };
}
