import { runLogitDivergence, type LogitDivergence, type LogitOptions, type Logits, type RowKernel } from './logits.js';

/**
 * Row kernel of KL(P‖Q) = Σ_k p_k (log p_k − log q_k) (Kullback & Leibler 1951; Cover & Thomas,
 * *Elements of Information Theory*, eq. (2.26)), with 0·log(0/q) = 0 and p·log(p/0) = +∞.
 * u_k = ∂D/∂log p_k = p_k(log p_k − log q_k) + p_k,  v_k = ∂D/∂log q_k = −p_k.
 * Exported for the kernels that reuse it with the arguments swapped.
 */
export const klKernel: RowKernel = (lp, lq, p, _q, u, v, n) => {
  let s = 0, c = 0;
  for (let k = 0; k < n; k++) {
    const a = lp[k];
    if (a === -Infinity) {
      if (u) { u[k] = 0; v![k] = 0; }
      continue;
    }
    const b = lq[k];
    if (b === -Infinity) return Infinity;
    const pk = p[k];
    const t = pk * (a - b);
    const s2 = s + t;
    c += Math.abs(s) >= Math.abs(t) ? s - s2 + t : t - s2 + s;
    s = s2;
    if (u) { u[k] = t + pk; v![k] = -pk; }
  }
  return s + c;
};

const reverseKernel: RowKernel = (lp, lq, p, q, u, v, n) => klKernel(lq, lp, q, p, v, u, n);

/**
 * Forward Kullback–Leibler divergence KL(P‖Q) = Σ_k p_k log(p_k/q_k) between the rows of
 * p = softmax(a/T) and q = softmax(b/T), with its gradients with respect to both logit arrays:
 *   ∂KL/∂a_j = p_j(log p_j − log q_j − KL)/T,   ∂KL/∂b_j = (q_j − p_j)/T
 * (per row, before the reduction). In distillation P is the teacher, Q the student ("forward KL",
 * Hinton, Vinyals & Dean 2015, whose soft-target loss also multiplies by T² — not done here).
 * One-hot P (all other logits −∞) gives the cross-entropy −log q_c.
 *
 * @example fdiv.kl([[0, 0]], [[Math.log(3), 0]]).value  // 0.5·log(0.5/0.75) + 0.5·log(0.5/0.25) = 0.1438
 */
export function kl(logitsP: Logits, logitsQ: Logits, options: LogitOptions = {}): LogitDivergence {
  return runLogitDivergence(logitsP, logitsQ, options, { divergence: 'kl', params: {}, kernel: klKernel });
}

/**
 * Reverse Kullback–Leibler divergence KL(Q‖P) = Σ_k q_k log(q_k/p_k) (the mode-seeking direction
 * when Q is fitted to P; Minka 2005, "Divergence measures and message passing", §3), with gradients
 * with respect to both logit arrays: ∂/∂a_j = (p_j − q_j)/T, ∂/∂b_j = q_j(log q_j − log p_j − KL)/T.
 *
 * @example fdiv.reverseKl([[0, 0]], [[Math.log(3), 0]]).value  // 0.75·log(1.5) + 0.25·log(0.5) = 0.1308
 */
export function reverseKl(logitsP: Logits, logitsQ: Logits, options: LogitOptions = {}): LogitDivergence {
  return runLogitDivergence(logitsP, logitsQ, options, { divergence: 'reverse-kl', params: {}, kernel: reverseKernel });
}
