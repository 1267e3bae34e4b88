import { matmulInto, symmetricProductABt } from '../core/linalg.js';
import { jkoEntropyStep } from './jko-entropy.js';
import type { PotentialExpectations } from './expectations.js';
import { resolveOptions, runLoop, spdCertificate, type VIOptions, type VIRun } from './run.js';
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
 *
 * Cost per iteration, d×d dense: one congruence (1.5 d³ multiply-adds: T = MΣ, then only the upper
 * triangle of T Mᵀ) and one symmetric eigendecomposition of Σ_{k+½}. The backward step needs no
 * second one: Σ_{k+½} and Σ_{k+½} + 4hI commute, so [Σ_{k+½}(Σ_{k+½} + 4hI)]^{1/2} is the spectral
 * function √(λ(λ + 4h)) of Σ_{k+½} and Σ_{k+1} = V diag(λ') Vᵀ in the same eigenbasis. Since every
 * λ' ≥ h > 0, that eigendecomposition also certifies Σ_{k+1} positive definite, and the loop skips
 * its Cholesky check when the certificate holds (run.ts, spdCertificate).
 */
export function fbgvi(target: Target, options: VIOptions): VIRun {
  const o = resolveOptions(target, options);
  const d = o.d;
  const h = o.step;
  // Work space reused by every step (the returned mean and covariance are fresh arrays: the loop
  // keeps the previous iterate and records copies).
  const workM = new Float64Array(d * d);
  const workT = new Float64Array(d * d);
  const workHalf = new Float64Array(d * d);
  const update = (mean: Float64Array, cov: Float64Array, e: PotentialExpectations | null) => {
    const ex = e as PotentialExpectations;
    const m2 = new Float64Array(d);
    for (let i = 0; i < d; i++) m2[i] = mean[i] - h * ex.grad[i];
    const half = congruenceInto(ex.hessian, cov, d, h, workM, workT, workHalf);
    const j = jkoEntropyStep(half, d, h, 'Σ_{k+½}');
    // λ' = ½(λ + 2h + √(λ(λ + 4h))) ≥ h > 0 and increasing in λ: the new eigenvalues are the images
    // of the old ones, in the same order.
    const lam = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      const l = Math.max(j.eig.values[i], 0);
      lam[i] = 0.5 * (l + 2 * h + Math.sqrt(l * (l + 4 * h)));
    }
    return { mean: m2, cov: j.cov, certifiedSpd: spdCertificate(lam) };
  };
  return runLoop(o, o.samples === 1 ? 'sfb-gvi' : 'fb-gvi', update, true);
}

/** (I − hA) Σ (I − hA) for symmetric A, symmetrised exactly. */
export function congruence(a: Float64Array, cov: Float64Array, d: number, h: number): Float64Array {
  return congruenceInto(a, cov, d, h, new Float64Array(d * d), new Float64Array(d * d), new Float64Array(d * d));
}

/**
 * {@link congruence} with caller-owned work space (m, t: d×d scratch; out: the result, d×d).
 * M = I − hA is symmetric, so M Σ M = (M Σ) Mᵀ is formed as one general product T = M Σ
 * (cache-friendly i-k-j order) and one symmetric product T Mᵀ of which only the upper triangle is
 * computed and mirrored: 1.5 d³ multiply-adds instead of 2 d³.
 */
export function congruenceInto(a: Float64Array, cov: Float64Array, d: number, h: number, m: Float64Array, t: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < d * d; i++) m[i] = -h * a[i];
  for (let i = 0; i < d; i++) m[i * d + i] += 1;
  matmulInto(m, cov, d, d, d, t);
  return symmetricProductABt(t, m, d, d, out);
}

/** M Σ Mᵀ, symmetrised exactly. */
export function sandwich(m: Float64Array, cov: Float64Array, d: number): Float64Array {
  const t = matmulInto(m, cov, d, d, d, new Float64Array(d * d));
  return symmetricProductABt(t, m, d, d, new Float64Array(d * d));
}
