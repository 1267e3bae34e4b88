import { cholesky } from '../core/linalg.js';
import { eigh } from '../core/eigh.js';
import { InvalidParameterError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { gradAt, hessianAt, type Target } from './target.js';

/**
 * Expectations of the potential V = −log π under the current Gaussian iterate p = N(m, Σ), the
 * ingredients of every Bures–Wasserstein step: E_p∇V and E_p∇²V.
 *
 * - Exact (Gaussian targets, quadratic V = ½(x−μ)ᵀP(x−μ)): E∇V = P(m − μ), E∇²V = P.
 * - Monte Carlo with `samples` draws x_i = m + S z_i (S Sᵀ = Σ, z_i ~ N(0, I)):
 *   E∇V ≈ (1/N) Σ ∇V(x_i); E∇²V ≈ (1/N) Σ ∇²V(x_i) when the target has a Hessian, otherwise by
 *   Stein's identity E[∇²V] = Σ⁻¹ E[(X − m) ∇V(X)ᵀ] = S⁻ᵀ E[z (∇V(x) − ∇V(m))ᵀ], symmetrised
 *   (the first-order estimator also used by Lambert et al. 2022 for BW-SGD). Subtracting the
 *   constant ∇V(m) keeps it unbiased (E z = 0) and removes most of its variance when ∇V is large
 *   (a control variate; one extra gradient evaluation per iteration).
 * With N = 1 this is the stochastic variant (SFB-GVI) of Diao et al. (2023).
 */
export interface PotentialExpectations {
  /** E_p ∇V, length d. */
  readonly grad: Float64Array;
  /** E_p ∇²V, d×d row-major, symmetric. */
  readonly hessian: Float64Array;
}

/** A symmetric factor S with S Sᵀ = Σ: Cholesky when Σ is numerically PD, else the eigen square root. */
export function covFactor(cov: Float64Array, d: number): { factor: Float64Array; lower: boolean } {
  try {
    return { factor: cholesky(cov, d, 'cov'), lower: true };
  } catch {
    const e = eigh(cov, d, 'cov');
    const f = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) f[i * d + k] = e.vectors[i * d + k] * Math.sqrt(Math.max(e.values[k], 0));
    return { factor: f, lower: false };
  }
}

export function potentialExpectations(
  target: Target,
  mean: Float64Array,
  cov: Float64Array,
  samples: number | 'exact',
  rng: Rng,
): PotentialExpectations {
  const d = target.dim;
  if (samples === 'exact') {
    const g = target.gaussian;
    if (!g) throw new InvalidParameterError('options.samples', "'exact' expectations need a Gaussian (quadratic) target; give a sample count for Monte Carlo");
    const grad = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += g.precision[i * d + j] * (mean[j] - g.mean[j]);
      grad[i] = s;
    }
    return { grad, hessian: Float64Array.from(g.precision) };
  }
  const { factor, lower } = covFactor(cov, d);
  const grad = new Float64Array(d);
  const hessian = new Float64Array(d * d);
  const useHessian = typeof target.hessianLogDensity === 'function';
  const zg = useHessian ? null : new Float64Array(d * d);
  const x = new Float64Array(d);
  const z = new Float64Array(d);
  const base = useHessian ? null : Float64Array.from(gradAt(target, Float64Array.from(mean)));
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < d; j++) z[j] = rng.normal();
    for (let i = 0; i < d; i++) {
      let v = mean[i];
      const kmax = lower ? i + 1 : d;
      for (let k = 0; k < kmax; k++) v += factor[i * d + k] * z[k];
      x[i] = v;
    }
    const gl = gradAt(target, x);
    for (let i = 0; i < d; i++) grad[i] -= gl[i];
    if (useHessian) {
      const h = hessianAt(target, x);
      for (let i = 0; i < d * d; i++) hessian[i] -= h[i];
    } else {
      const a = zg as Float64Array;
      const b = base as Float64Array;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) a[i * d + j] -= z[i] * (gl[j] - b[j]);
    }
  }
  for (let i = 0; i < d; i++) grad[i] /= samples;
  if (useHessian) {
    for (let i = 0; i < d * d; i++) hessian[i] /= samples;
  } else {
    // H = S⁻ᵀ A with A = mean(z gᵀ), g = ∇V. Solve Sᵀ H = A column by column.
    const a = zg as Float64Array;
    for (let i = 0; i < d * d; i++) a[i] /= samples;
    const h = solveTransposed(factor, lower, a, d);
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        const v = 0.5 * (h[i * d + j] + h[j * d + i]);
        hessian[i * d + j] = v;
        hessian[j * d + i] = v;
      }
    }
  }
  return { grad, hessian };
}

/** X with Sᵀ X = B (S lower-triangular: back substitution; otherwise S = V Λ^{1/2} from eigh, Sᵀ⁻¹ = V Λ^{−1/2}). */
function solveTransposed(s: Float64Array, lower: boolean, b: Float64Array, d: number): Float64Array {
  const x = new Float64Array(d * d);
  if (lower) {
    for (let c = 0; c < d; c++) {
      for (let i = d - 1; i >= 0; i--) {
        let v = b[i * d + c];
        for (let k = i + 1; k < d; k++) v -= s[k * d + i] * x[k * d + c];
        x[i * d + c] = v / s[i * d + i];
      }
    }
    return x;
  }
  // S = V D (D = diag √λ): Sᵀ = D Vᵀ, so X = V D⁻¹ B.
  const dcol = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    let n2 = 0;
    for (let i = 0; i < d; i++) n2 += s[i * d + k] ** 2;
    dcol[k] = Math.sqrt(n2);
  }
  for (let i = 0; i < d; i++) {
    for (let c = 0; c < d; c++) {
      let v = 0;
      for (let k = 0; k < d; k++) if (dcol[k] > 0) v += (s[i * d + k] / dcol[k]) * (b[k * d + c] / dcol[k]);
      x[i * d + c] = v;
    }
  }
  return x;
}
