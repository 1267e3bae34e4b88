import { alphaSumMinusOne } from './alpha-sum.js';
import { checkOrder, type AlphaOptions } from './alpha.js';
import { runLogitDivergence, type LogitDivergence, type Logits } from './logits.js';

/**
 * Rényi divergence of order α > 0, α ≠ 1 (Rényi 1961, Proc. 4th Berkeley Symp.; van Erven &
 * Harremoës 2014, IEEE Trans. IT 60(7), §II):
 *   D_α(P‖Q) = log(Σ_k p_k^α q_k^{1−α})/(α − 1),
 * computed as log1p(S_α − 1)/(α − 1) (accurate when P ≈ Q). +∞ for α > 1 when some q_k = 0 < p_k,
 * and for α < 1 only when the supports are disjoint. Gradients through the softmax: with
 * w_k = p_k^α q_k^{1−α} and S = Σ w,  ∂D/∂log p_k = α w_k/((α − 1) S),  ∂D/∂log q_k = −w_k/S.
 *
 * @example fdiv.renyi([[0, 0]], [[Math.log(3), 0]], { alpha: 2 }).value  // log(0.25/0.75 + 0.25/0.25) = 0.2877
 */
export function renyi(logitsP: Logits, logitsQ: Logits, options: AlphaOptions): LogitDivergence {
  const a = checkOrder(options?.alpha, 'options.alpha', [1], 0);
  return runLogitDivergence(logitsP, logitsQ, options, {
    divergence: 'renyi',
    params: { alpha: a },
    kernel: (lp, lq, p, _q, u, v, n) => {
      const s1 = alphaSumMinusOne(a, lp, lq, p, u, n);
      if (s1 === Infinity || s1 <= -1) return Infinity; // S = ∞ (α > 1) or S = 0 (disjoint, α < 1)
      const S = 1 + s1;
      if (u) {
        const cu = a / ((a - 1) * S);
        for (let k = 0; k < n; k++) {
          const w = u[k];
          u[k] = cu * w;
          v![k] = -w / S;
        }
      }
      return Math.max(0, Math.log1p(s1) / (a - 1));
    },
  });
}
