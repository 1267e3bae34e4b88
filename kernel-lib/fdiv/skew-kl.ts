import { InvalidParameterError } from '../core/errors.js';
import { logAddExp, runLogitDivergence, type LogitDivergence, type LogitOptions, type Logits } from './logits.js';

export interface SkewKlOptions extends LogitOptions {
  /** Mixing weight λ ∈ [0, 1): the reference is R = λP + (1 − λ)Q. λ = 0 is KL(P‖Q). Default 0.1. */
  readonly lambda?: number;
}

/**
 * Skew Kullback–Leibler divergence KL(P‖λP + (1 − λ)Q), finite for every Q when λ > 0
 * (≤ −log λ), as used to stabilise distillation (Lee 1999, "Measures of distributional similarity",
 * the α-skew divergence; Ko et al. 2024, DistiLLM, ICML, eq. (3) with α = λ). With r = λp + (1 − λ)q
 * formed in log space,
 *   D = Σ_k p_k log(p_k/r_k),  ∂D/∂log p_k = p_k(log(p_k/r_k) + 1 − λ p_k/r_k),
 *   ∂D/∂log q_k = −(1 − λ) p_k q_k/r_k,
 * taken through the softmax.
 *
 * @example fdiv.skewKl([[0, -Infinity]], [[-Infinity, 0]], { lambda: 0.1 }).value  // −log 0.1 = 2.3026
 */
export function skewKl(logitsP: Logits, logitsQ: Logits, options: SkewKlOptions = {}): LogitDivergence {
  const lambda = options.lambda ?? 0.1;
  if (typeof lambda !== 'number' || !(lambda >= 0 && lambda < 1)) {
    throw new InvalidParameterError('options.lambda', `must be a number in [0, 1) (λ = 1 makes the divergence 0), got ${String(options.lambda)}`);
  }
  const ll = Math.log(lambda), l1 = Math.log1p(-lambda);
  return runLogitDivergence(logitsP, logitsQ, options, {
    divergence: 'skew-kl',
    params: { lambda },
    kernel: (lp, lq, p, _q, u, v, n) => {
      let s = 0, c = 0;
      for (let k = 0; k < n; k++) {
        const a = lp[k];
        if (a === -Infinity) {
          if (u) { u[k] = 0; v![k] = 0; }
          continue;
        }
        const b = lq[k];
        const lr = logAddExp(ll + a, l1 + b);
        if (lr === -Infinity) return Infinity; // λ = 0 and q_k = 0 < p_k
        const pk = p[k];
        const t = pk * (a - lr);
        const s2 = s + t;
        c += Math.abs(s) >= Math.abs(t) ? s - s2 + t : t - s2 + s;
        s = s2;
        if (u) {
          u[k] = t + pk * (1 - Math.exp(ll + a - lr));
          v![k] = b === -Infinity ? 0 : -pk * Math.exp(l1 + b - lr);
        }
      }
      return Math.max(0, s + c);
    },
  });
}
