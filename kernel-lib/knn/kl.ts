import { assertSameDim, toMatrix, type Samples } from '../core/matrix.js';
import { selectBackend } from '../backend/index.js';
import type { Estimate } from '../estimate.js';
import { checkK, crossSampleDistances, fromTerms, prepareDuplicates, type KnnOptions } from './common.js';

/**
 * Wang–Kulkarni–Verdú k-NN estimator of the Kullback–Leibler divergence D(P‖Q) from x ~ P (n rows)
 * and y ~ Q (m rows) (Wang, Kulkarni & Verdú 2009, IEEE Trans. Inf. Theory 55(5), eq. (5)):
 *
 *   D̂(P‖Q) = (d/n) Σ_i log(ν_k(i) / ρ_k(i)) + log(m / (n − 1)),
 *
 * ρ_k(i) the Euclidean distance from x_i to its k-th nearest neighbour in x \ {x_i}, ν_k(i) the
 * distance from x_i to its k-th nearest neighbour in y.
 * `terms[i] = d log(ν_k(i)/ρ_k(i)) + log(m/(n−1))`.
 *
 * @example knn.kl(x, y, { k: 5 })  // x ~ N(0,1), y ~ N(1,1): ≈ 0.5 nats
 */
export function kl(x: Samples, y: Samples, options: KnnOptions = {}): Estimate {
  let X = toMatrix(x, 'x');
  let Y = toMatrix(y, 'y');
  assertSameDim(X, Y, 'x', 'y');
  const k = checkK(options.k ?? 5, 'options.k', [{ rows: X.rows, arg: 'x', extra: 1 }, { rows: Y.rows, arg: 'y', extra: 0 }]);
  [X, Y] = prepareDuplicates(options, X, Y);
  const { rows: n, cols: d } = X;
  const m = Y.rows;
  const backend = selectBackend(options.backend, { n, m: n + m, d });
  const { rho, nu } = crossSampleDistances(backend, X, Y, k);
  const c = Math.log(m / (n - 1));
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = d * Math.log(nu[i] / rho[i]) + c;
  return fromTerms(terms, options.base, {
    estimator: 'wang-kulkarni-verdu',
    params: { k, duplicates: options.duplicates ?? 'error' },
    n, m, d, backend: backend.name,
  });
}
