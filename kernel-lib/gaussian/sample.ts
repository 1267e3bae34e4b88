import { cholesky } from '../core/linalg.js';
import type { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import type { GaussianParams } from './closed-form.js';

/**
 * Draws n points from N(μ, Σ) as x = μ + L z with Σ = L Lᵀ and z ~ N(0, I), using the seeded
 * generator (a number seeds a new {@link Rng}).
 */
export function sampleGaussian(params: GaussianParams, n: number, rng: Rng | number = 0): Matrix {
  const r = typeof rng === 'number' ? new Rng(rng) : rng;
  const d = params.mean.length;
  const covFlat = Array.isArray(params.cov) && Array.isArray(params.cov[0])
    ? Float64Array.from((params.cov as number[][]).flat())
    : Float64Array.from(params.cov as ArrayLike<number>);
  const l = cholesky(covFlat, d, 'cov');
  const data = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) z[j] = r.normal();
    for (let j = 0; j < d; j++) {
      let s = params.mean[j];
      for (let k = 0; k <= j; k++) s += l[j * d + k] * z[k];
      data[i * d + j] = s;
    }
  }
  return { data, rows: n, cols: d };
}

/** Isotropic helper: N(μ, σ² I). */
export function isotropic(mean: ArrayLike<number>, variance = 1): GaussianParams {
  const d = mean.length;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) cov[i * d + i] = variance;
  return { mean: Float64Array.from(mean), cov };
}
