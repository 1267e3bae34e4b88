import { inverseSpd } from '../core/linalg.js';
import type { PotentialExpectations } from './expectations.js';
import { congruence } from './fbgvi.js';
import { resolveOptions, runLoop, type VIOptions, type VIRun } from './run.js';
import type { Target } from './target.js';

/**
 * Bures–Wasserstein gradient descent on KL(·‖π) over Gaussians (Lambert, Chewi, Bach, Bonnabel &
 * Rigollet 2022, "Variational inference via Wasserstein gradient flows", NeurIPS, arXiv:2205.15902,
 * the time discretisation of their Bures–Wasserstein gradient flow; the forward-only scheme that FB-GVI is compared with):
 *
 *   m_{k+1} = m_k − h E∇V(X_k),   Σ_{k+1} = M Σ_k M,   M = I − h (E∇²V(X_k) − Σ_k⁻¹),   X_k ~ N(m_k, Σ_k).
 *
 * The entropy's gradient −Σ⁻¹ is taken explicitly, so for small eigenvalues of Σ the step
 * h/λ_min(Σ) can overshoot: M may become indefinite or singular and the iteration blow up at step
 * sizes where FB-GVI (implicit in the entropy) stays stable. `samples: 1` gives BW-SGD.
 */
export function bwgd(target: Target, options: VIOptions): VIRun {
  const o = resolveOptions(target, options);
  const d = o.d;
  const h = o.step;
  const update = (mean: Float64Array, cov: Float64Array, e: PotentialExpectations | null) => {
    const ex = e as PotentialExpectations;
    const m2 = new Float64Array(d);
    for (let i = 0; i < d; i++) m2[i] = mean[i] - h * ex.grad[i];
    const inv = inverseSpd(cov, d, 'Σ_k');
    const g = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) g[i] = ex.hessian[i] - inv[i];
    return { mean: m2, cov: congruence(g, cov, d, h) };
  };
  return runLoop(o, o.samples === 1 ? 'bw-sgd' : 'bw-gd', update, true);
}
