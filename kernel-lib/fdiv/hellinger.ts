import { runLogitDivergence, type LogitDivergence, type LogitOptions, type Logits, type RowKernel } from './logits.js';

const hellingerKernel: RowKernel = (lp, lq, p, q, u, v, n) => {
  let s = 0, c = 0;
  for (let k = 0; k < n; k++) {
    const sp = Math.exp(0.5 * lp[k]), sq = Math.exp(0.5 * lq[k]);
    const d = sp - sq;
    const t = 0.5 * d * d;
    const s2 = s + t;
    c += Math.abs(s) >= Math.abs(t) ? s - s2 + t : t - s2 + s;
    s = s2;
    if (u) {
      const g = sp * sq;
      u[k] = 0.5 * (p[k] - g);
      v![k] = 0.5 * (q[k] - g);
    }
  }
  return s + c;
};

/**
 * Squared Hellinger distance H²(P, Q) = ½ Σ_k (√p_k − √q_k)² = 1 − Σ_k √(p_k q_k) ∈ [0, 1]
 * (with the ½, so H² ∈ [0, 1] (Le Cam 1986); Tsybakov 2009, §2.4, omits it and gets twice this).
 * Summed in the (√p − √q)² form, which keeps relative accuracy when P ≈ Q. Gradients:
 * ∂H²/∂log p_k = ½(p_k − √(p_k q_k)), taken through the softmax.
 *
 * @example fdiv.hellinger([[0, -Infinity]], [[-Infinity, 0]]).value  // disjoint supports: 1
 */
export function hellinger(logitsP: Logits, logitsQ: Logits, options: LogitOptions = {}): LogitDivergence {
  return runLogitDivergence(logitsP, logitsQ, options, { divergence: 'squared-hellinger', params: {}, kernel: hellingerKernel });
}
