import { jkoEntropyStep } from './jko-entropy.js';
import type { PotentialExpectations } from './expectations.js';
import { resolveOptions, runLoop, type VIOptions, type VIRun } from './run.js';
import type { Target } from './target.js';

/**
 * Forward–Backward Gaussian Variational Inference (FB-GVI) of Diao, Balasubramanian, Chewi & Salim
 * (2023), "Forward-backward Gaussian variational inference via JKO in the Bures–Wasserstein space",
 * ICML 2023, arXiv:2304.05398, Algorithm 1. KL(p‖π) = E_p V + H(p) splits into the smooth potential
 * energy (forward = gradient step) and the non-smooth negative entropy (backward = JKO step):
 *
 *   forward:   m_{k+1} = m_k − h E∇V(X_k),   Σ_{k+½} = (I − h E∇²V(X_k)) Σ_k (I − h E∇²V(X_k)),
 *   backward:  Σ_{k+1} = ½ (Σ_{k+½} + 2hI + [Σ_{k+½} (Σ_{k+½} + 4hI)]^{1/2}),     X_k ~ N(m_k, Σ_k)
 *
 * (backward step: {@link jkoEntropyStep}, derived there). Expectations are exact for Gaussian
 * targets and Monte Carlo with `samples` draws otherwise; `samples: 1` is the stochastic variant
 * (SFB-GVI: one draw X̂_k ~ p_k replacing the expectations).
 *
 * Rate (their guarantee for the strongly log-concave case, as summarised in the abstract and the
 * project notes; theorem number not verified offline): if V is α-strongly convex and L-smooth and
 * h ≤ 1/L, then W₂²(p_k, π̂) ≤ (1 − αh)^k W₂²(p₀, π̂), with π̂ the best Gaussian approximation
 * (π̂ = π for a Gaussian π). For a Gaussian target the mean error obeys e_{k+1} = (I − hP) e_k,
 * so KL(p_k‖π) decays like (1 − αh)^{2k} asymptotically — faster than the W₂² bound; the test fits
 * the slope of log KL against both.
 */
export function fbgvi(target: Target, options: VIOptions): VIRun {
  const o = resolveOptions(target, options);
  const d = o.d;
  const h = o.step;
  const update = (mean: Float64Array, cov: Float64Array, e: PotentialExpectations | null) => {
    const ex = e as PotentialExpectations;
    const m2 = new Float64Array(d);
    for (let i = 0; i < d; i++) m2[i] = mean[i] - h * ex.grad[i];
    const half = congruence(ex.hessian, cov, d, h);
    return { mean: m2, cov: jkoEntropyStep(half, d, h, 'Σ_{k+½}').cov };
  };
  return runLoop(o, o.samples === 1 ? 'sfb-gvi' : 'fb-gvi', update, true);
}

/** (I − hA) Σ (I − hA) for symmetric A, symmetrised exactly. */
export function congruence(a: Float64Array, cov: Float64Array, d: number, h: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) m[i] = -h * a[i];
  for (let i = 0; i < d; i++) m[i * d + i] += 1;
  return sandwich(m, cov, d);
}

/** M Σ Mᵀ, symmetrised exactly. */
export function sandwich(m: Float64Array, cov: Float64Array, d: number): Float64Array {
  const t = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const mik = m[i * d + k];
      if (mik === 0) continue;
      for (let j = 0; j < d; j++) t[i * d + j] += mik * cov[k * d + j];
    }
  }
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += t[i * d + k] * m[j * d + k];
      out[i * d + j] = s;
      out[j * d + i] = s;
    }
  }
  return out;
}
