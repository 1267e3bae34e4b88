import { DimensionMismatchError, ShapeError } from '../core/errors.js';
import { NeumaierSum } from '../core/sum.js';

/** Throws unless `scores` holds an n×n matrix with n ≥ 2. @internal */
export function checkScores(scores: Float64Array, n: number, name = 'scores'): void {
  if (!Number.isInteger(n) || n < 2) throw new ShapeError(name, `needs a batch of at least 2 (an n×n matrix with n ≥ 2), got n = ${String(n)}`);
  if (scores.length !== n * n) throw new DimensionMismatchError(name, `has ${scores.length} values, an ${n}×${n} score matrix needs ${n * n}`);
}

/**
 * Off-diagonal log-mean-exp of a batch score matrix S (n×n, row-major), the log of the
 * product-of-marginals term of the Donsker–Varadhan and NWJ bounds:
 *
 *   L(S) = log( (1/(n(n−1))) Σ_{i≠j} exp(S_ij) ),
 *
 * computed max-shifted (no overflow) with a compensated (Neumaier) sum in float64. The pairs
 * (x_i, y_j), i ≠ j, are the samples of p(x)p(y) (Poole et al. 2019, §2.1, "reduce_logmeanexp_nodiag").
 * The float64 twin of {@link offDiagonalLogMeanExpGpu}.
 */
export function offDiagonalLogMeanExp(scores: Float64Array, n: number): number {
  checkScores(scores, n);
  let mx = -Infinity;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i !== j && scores[i * n + j] > mx) mx = scores[i * n + j];
  }
  if (mx === -Infinity || mx === Infinity) return mx;
  const acc = new NeumaierSum();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i !== j) acc.add(Math.exp(scores[i * n + j] - mx));
  }
  return mx + Math.log(acc.value) - Math.log(n * (n - 1));
}

/**
 * ∂L/∂S_ij of {@link offDiagonalLogMeanExp}: the off-diagonal softmax weights
 * exp(S_ij − L)/(n(n−1)) (0 on the diagonal); they sum to 1.
 */
export function offDiagonalSoftmax(scores: Float64Array, n: number, lme = offDiagonalLogMeanExp(scores, n)): Float64Array {
  const w = new Float64Array(n * n);
  const c = lme + Math.log(n * (n - 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (i !== j) w[i * n + j] = Math.exp(scores[i * n + j] - c);
  }
  return w;
}
