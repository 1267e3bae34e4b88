import { InvalidParameterError } from '../core/errors.js';
import { alphaSumMinusOne } from './alpha-sum.js';
import { runLogitDivergence, type LogitDivergence, type LogitOptions, type Logits } from './logits.js';

export interface AlphaOptions extends LogitOptions {
  /** The order α (any real number except 0 and 1, whose limits are KL(Q‖P) and KL(P‖Q)). */
  readonly alpha: number;
}

/** Validates an order parameter against the excluded values and an optional lower bound. */
export function checkOrder(x: unknown, name: string, excluded: readonly number[], min?: number): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new InvalidParameterError(name, `must be a finite number, got ${String(x)}`);
  if (min !== undefined && !(x > min)) throw new InvalidParameterError(name, `must be > ${min}, got ${x}`);
  if (excluded.includes(x)) {
    throw new InvalidParameterError(name, `${x} is excluded: it is the limit ${x === 1 ? 'KL(P‖Q) — call fdiv.kl' : 'KL(Q‖P) — call fdiv.reverseKl'}`);
  }
  return x;
}

/**
 * Amari α-divergence in the parametrisation of Cichocki & Amari (2010), "Families of Alpha- Beta-
 * and Gamma-Divergences", Entropy 12(6), §2 (the α-divergence, written for normalised P and Q):
 *   D_α(P‖Q) = (Σ_k p_k^α q_k^{1−α} − 1)/(α(α − 1)) = 1/(α(α−1)) Σ_k [p_k^α q_k^{1−α} − α p_k + (α − 1) q_k],
 * the f-divergence of f(t) = (t^α − 1 − α(t − 1))/(α(α − 1)). α → 1 gives KL(P‖Q) (mass-covering),
 * α → 0 gives KL(Q‖P) (mode-seeking), α = ½ gives 4·H² (squared Hellinger, ½ convention), α = 2
 * gives ½ Pearson χ². Gradients through the softmax: with w_k = p_k^α q_k^{1−α},
 *   ∂D/∂log p_k = (w_k − p_k)/(α − 1),   ∂D/∂log q_k = (q_k − w_k)/α.
 *
 * @example fdiv.alpha([[0, 0]], [[Math.log(3), 0]], { alpha: 0.5 }).value  // 4(1 − Σ√(pq)) = 0.1363
 */
export function alpha(logitsP: Logits, logitsQ: Logits, options: AlphaOptions): LogitDivergence {
  const a = checkOrder(options?.alpha, 'options.alpha', [0, 1]);
  const k1 = 1 / (a * (a - 1));
  return runLogitDivergence(logitsP, logitsQ, options, {
    divergence: 'amari-alpha',
    params: { alpha: a },
    kernel: (lp, lq, p, q, u, v, n) => {
      const s1 = alphaSumMinusOne(a, lp, lq, p, u, n);
      if (s1 === Infinity) return Infinity;
      if (u) {
        for (let k = 0; k < n; k++) {
          const w = u[k];
          u[k] = (w - p[k]) / (a - 1);
          v![k] = (q[k] - w) / a;
        }
      }
      return Math.max(0, s1 * k1);
    },
  });
}
