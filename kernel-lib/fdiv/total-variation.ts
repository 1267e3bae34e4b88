import { runLogitDivergence, type LogitDivergence, type LogitOptions, type Logits, type RowKernel } from './logits.js';

const tvKernel: RowKernel = (_lp, _lq, p, q, u, v, n) => {
  let s = 0, c = 0;
  for (let k = 0; k < n; k++) {
    const d = p[k] - q[k];
    const t = 0.5 * Math.abs(d);
    const s2 = s + t;
    c += Math.abs(s) >= Math.abs(t) ? s - s2 + t : t - s2 + s;
    s = s2;
    if (u) {
      const sg = d > 0 ? 0.5 : d < 0 ? -0.5 : 0;
      u[k] = sg * p[k];
      v![k] = -sg * q[k];
    }
  }
  return s + c;
};

/**
 * Total variation distance TV(P, Q) = ½ Σ_k |p_k − q_k| ∈ [0, 1] (the f-divergence of
 * f(t) = ½|t − 1|; Tsybakov 2009, *Introduction to Nonparametric Estimation*, §2.4), with the
 * subgradient ∂TV/∂p_k = ½ sign(p_k − q_k) (0 at ties) taken through the softmax.
 *
 * @example fdiv.totalVariation([[0, 0]], [[Math.log(3), 0]]).value  // ½(|0.5−0.75| + |0.5−0.25|) = 0.25
 */
export function totalVariation(logitsP: Logits, logitsQ: Logits, options: LogitOptions = {}): LogitDivergence {
  return runLogitDivergence(logitsP, logitsQ, options, { divergence: 'total-variation', params: {}, kernel: tvKernel });
}
