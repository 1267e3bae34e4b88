import { alphaSumMinusOne } from './alpha-sum.js';
import { checkOrder } from './alpha.js';
import { runLogitDivergence, type LogitDivergence, type LogitOptions, type Logits } from './logits.js';

export interface TsallisOptions extends LogitOptions {
  /** The entropic index q > 0, q ≠ 1 (q → 1 gives KL(P‖Q)). */
  readonly q: number;
}

/**
 * Tsallis relative entropy of index q > 0, q ≠ 1 (Tsallis 1998, Phys. Rev. E 58, 1442;
 * Furuichi, Yanagi & Kuriyama 2004, J. Math. Phys. 45, 4868, §2):
 *   D_q(P‖Q) = (Σ_k p_k^q q_k^{1−q} − 1)/(q − 1) = α·D^{Amari}_α at α = q,
 * with gradients through the softmax: ∂D/∂log p_k = q w_k/(q − 1), ∂D/∂log q_k = −w_k,
 * w_k = p_k^q q_k^{1−q}.
 *
 * @example fdiv.tsallis([[0, 0]], [[Math.log(3), 0]], { q: 2 }).value  // 1/3 (= Pearson χ² at q = 2)
 */
export function tsallis(logitsP: Logits, logitsQ: Logits, options: TsallisOptions): LogitDivergence {
  const a = checkOrder(options?.q, 'options.q', [1], 0);
  return runLogitDivergence(logitsP, logitsQ, options, {
    divergence: 'tsallis',
    params: { q: a },
    kernel: (lp, lq, p, _q, u, v, n) => {
      const s1 = alphaSumMinusOne(a, lp, lq, p, u, n);
      if (s1 === Infinity) return Infinity;
      if (u) {
        const cu = a / (a - 1);
        for (let k = 0; k < n; k++) {
          const w = u[k];
          u[k] = cu * w;
          v![k] = -w;
        }
      }
      return Math.max(0, s1 / (a - 1));
    },
  });
}
