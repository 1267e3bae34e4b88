import { logAddExp, runLogitDivergence, type LogitDivergence, type LogitOptions, type Logits, type RowKernel } from './logits.js';

const LN2 = Math.LN2;

/** Row kernel of JS (see {@link js}); u_k = ½ p_k log(p_k/m_k), v_k = ½ q_k log(q_k/m_k). */
const jsKernel: RowKernel = (lp, lq, p, q, u, v, n) => {
  let s = 0, c = 0;
  for (let k = 0; k < n; k++) {
    const a = lp[k], b = lq[k];
    const lm = logAddExp(a, b) - LN2;
    const tp = a === -Infinity ? 0 : 0.5 * p[k] * (a - lm);
    const tq = b === -Infinity ? 0 : 0.5 * q[k] * (b - lm);
    const t = tp + tq;
    const s2 = s + t;
    c += Math.abs(s) >= Math.abs(t) ? s - s2 + t : t - s2 + s;
    s = s2;
    if (u) { u[k] = tp; v![k] = tq; }
  }
  return s + c;
};

/**
 * Jensen–Shannon divergence JS(P, Q) = ½ KL(P‖M) + ½ KL(Q‖M), M = (P + Q)/2 (Lin 1991, IEEE Trans.
 * IT 37(1), §IV, equal weights), in nats (≤ log 2), finite for any supports, with
 * gradients ∂JS/∂p_k = ½ log(p_k/m_k), ∂JS/∂q_k = ½ log(q_k/m_k) taken through the softmax.
 * m_k is formed in log space (log-add-exp), so classes with p_k = 0 or q_k = 0 are exact.
 *
 * @example fdiv.js([[0, -Infinity]], [[-Infinity, 0]]).value  // disjoint supports: log 2 = 0.6931
 */
export function js(logitsP: Logits, logitsQ: Logits, options: LogitOptions = {}): LogitDivergence {
  return runLogitDivergence(logitsP, logitsQ, options, { divergence: 'jensen-shannon', params: {}, kernel: jsKernel });
}
