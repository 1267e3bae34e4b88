import { runLogitDivergence, type LogitDivergence, type LogitOptions, type Logits, type RowKernel } from './logits.js';

/** Smallest q for which q(t − 1)² with t = p/q = exp(log p − log q) is evaluated directly. */
const DIRECT_MIN = 1e-290;

/**
 * Row kernel of Pearson χ²(P‖Q) = Σ_k (p_k − q_k)²/q_k. u_k = 2p_k(t_k − 1), v_k = q_k(1 − t_k²),
 * t_k = p_k/q_k. Each term is q(t − 1)² (no cancellation when P ≈ Q); where q underflows it falls
 * back to the log-space form exp(2 log p − log q) − 2p + q.
 */
export const pearsonKernel: RowKernel = (lp, lq, p, q, u, v, n) => {
  let s = 0, c = 0;
  for (let k = 0; k < n; k++) {
    const a = lp[k], b = lq[k];
    let term: number, uk: number, vk: number;
    if (b === -Infinity) {
      if (a !== -Infinity) return Infinity;
      term = 0; uk = 0; vk = 0;
    } else {
      const qk = q[k], pk = p[k];
      const t = Math.exp(a - b);
      if (qk >= DIRECT_MIN && t < 1e150) {
        const dt = t - 1;
        term = qk * dt * dt;
        uk = 2 * pk * dt;
        vk = qk * (1 - t * t);
      } else {
        const r = Math.exp(2 * a - b);
        term = r - 2 * pk + qk;
        uk = 2 * (r - pk);
        vk = qk - r;
      }
    }
    const s2 = s + term;
    c += Math.abs(s) >= Math.abs(term) ? s - s2 + term : term - s2 + s;
    s = s2;
    if (u) { u[k] = uk; v![k] = vk; }
  }
  return s + c;
};

const neymanKernel: RowKernel = (lp, lq, p, q, u, v, n) => pearsonKernel(lq, lp, q, p, v, u, n);

/**
 * Pearson χ²(P‖Q) = Σ_k (p_k − q_k)²/q_k (the f-divergence of f(t) = (t − 1)²; Pearson 1900;
 * Csiszár 1967; Liese & Vajda 2006, IEEE Trans. IT 52(10), §III), +∞ when some q_k = 0 < p_k,
 * with gradients through the softmax.
 *
 * @example fdiv.pearson([[0, 0]], [[Math.log(3), 0]]).value  // 0.0625/0.75 + 0.0625/0.25 = 1/3
 */
export function pearson(logitsP: Logits, logitsQ: Logits, options: LogitOptions = {}): LogitDivergence {
  return runLogitDivergence(logitsP, logitsQ, options, { divergence: 'pearson-chi2', params: {}, kernel: pearsonKernel });
}

/**
 * Neyman χ²(P‖Q) = Σ_k (p_k − q_k)²/p_k = Pearson χ²(Q‖P) (f(t) = (1 − t)²/t; Neyman 1949;
 * Liese & Vajda 2006, §III), with gradients through the softmax.
 *
 * @example fdiv.neyman([[0, 0]], [[Math.log(3), 0]]).value  // 0.0625/0.5 + 0.0625/0.5 = 0.25
 */
export function neyman(logitsP: Logits, logitsQ: Logits, options: LogitOptions = {}): LogitDivergence {
  return runLogitDivergence(logitsP, logitsQ, options, { divergence: 'neyman-chi2', params: {}, kernel: neymanKernel });
}
