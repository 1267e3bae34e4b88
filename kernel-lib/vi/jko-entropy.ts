import { InvalidParameterError } from '../core/errors.js';
import { applySpectral, eigh, type SymmetricEigen } from '../core/eigh.js';

/**
 * The JKO (proximal) step of the negative entropy H(p) = ∫ p log p over Gaussians in the
 * Bures–Wasserstein space — the backward step of FB-GVI (Diao, Balasubramanian, Chewi & Salim 2023,
 * arXiv:2304.05398, the backward step of their Algorithm 1; only the abstract could be consulted
 * offline, so the formula is re-derived here rather than cited by equation number):
 *
 *   N(m', Σ') = argmin_{q Gaussian} { H(q) + W₂²(q, N(m, Σ)) / (2h) }
 *   ⇒ m' = m,   Σ' = ½ (Σ + 2hI + [Σ (Σ + 4hI)]^{1/2}),
 *
 * i.e. per eigenvalue λ of Σ (same eigenvectors):  λ' = ½ (λ + 2h + √(λ(λ + 4h))).
 *
 * Derivation (ours; it reproduces the paper's formula). H(N(m', Σ')) = −½ log det Σ' + const does
 * not depend on m', and W₂²(N(m,Σ), N(m',Σ')) = ‖m − m'‖² + B²(Σ, Σ'), so m' = m. Write the
 * optimal transport map from N(m,Σ) as x ↦ m + M(x − m) with M symmetric positive definite, so that
 * Σ' = MΣM and W₂² = tr((M − I)Σ(M − I)). The objective
 *   F(M) = −log det M + tr((M − I)Σ(M − I)) / (2h)   (+ const)
 * is strictly convex in M ≻ 0 (−log det is strictly convex, the trace term is a convex quadratic),
 * so a stationary point is the minimiser. Its gradient over symmetric M is
 *   −M⁻¹ + ((M − I)Σ + Σ(M − I)) / (2h).
 * Try M = f(Σ), commuting with Σ: per eigenvalue λ with multiplier μ > 0 the condition is
 *   −1/μ + (μ − 1)λ / h = 0  ⇔  λμ² − λμ − h = 0  ⇔  μ = (λ + √(λ² + 4hλ)) / (2λ),
 * and the new eigenvalue is λ' = μ²λ = λμ + h = ½(λ + √(λ(λ + 4h))) + h, the formula above.
 * λ = 0 gives λ' = ½(0 + 2h + 0) = h, and λ' is increasing in λ, so the step maps a singular Σ (which the forward step produces at h = 1/L exactly) to one with every
 * eigenvalue ≥ h: the backward step is what keeps FB-GVI's covariances positive definite.
 *
 * Eigenvalues of Σ that are negative only by round-off (Σ_½ at h = 1/L) are clamped at 0 before
 * the square root; clearly negative ones throw.
 */
export function jkoEntropyStep(cov: ArrayLike<number>, d: number, h: number, name = 'cov'): { cov: Float64Array; eig: SymmetricEigen } {
  if (!(h > 0) || !Number.isFinite(h)) throw new InvalidParameterError('step', `must be a finite number > 0, got ${String(h)}`);
  const eig = eigh(cov, d, name);
  const scale = Math.max(Math.abs(eig.values[0]), Math.abs(eig.values[d - 1]));
  if (eig.values[0] < -64 * d * Number.EPSILON * scale) {
    throw new InvalidParameterError(name, `is not positive semi-definite (smallest eigenvalue ${eig.values[0]}); the entropy JKO step needs a covariance`);
  }
  const out = applySpectral(eig, (l) => {
    const lam = Math.max(l, 0);
    return 0.5 * (lam + 2 * h + Math.sqrt(lam * (lam + 4 * h)));
  });
  return { cov: out, eig };
}
