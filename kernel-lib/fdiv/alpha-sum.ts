/**
 * The sum shared by the α-families (Amari/Cichocki α, Rényi-α, Tsallis-q):
 *   S_α(P, Q) = Σ_k p_k^α q_k^{1−α},
 * returned as S_α − 1 = Σ_k p_k (exp((1 − α)(log q_k − log p_k)) − 1), summed with expm1 and
 * Neumaier compensation so that small divergences (P ≈ Q) keep their relative accuracy.
 * Zero probabilities follow the limits: p_k = 0 < q_k adds 0 for α > 0 and makes S infinite for
 * α < 0; q_k = 0 < p_k adds p_k^α·0 = 0 for α < 1 and +∞ for α > 1.
 * With `w`, also writes w_k = p_k^α q_k^{1−α} (computed in log space).
 */
export function alphaSumMinusOne(alpha: number, lp: Float64Array, lq: Float64Array, p: Float64Array,
  w: Float64Array | null, n: number): number {
  let s = 0, c = 0;
  const beta = 1 - alpha;
  for (let k = 0; k < n; k++) {
    const a = lp[k], b = lq[k];
    let t: number;
    if (a === -Infinity) {
      if (b === -Infinity || alpha > 0) {
        if (w) w[k] = 0;
        continue;
      }
      return Infinity;
    } else if (b === -Infinity) {
      if (alpha > 1) return Infinity;
      t = -p[k];
      if (w) w[k] = 0;
    } else {
      const e = beta * (b - a);
      const pk = p[k];
      const lw = alpha * a + beta * b;
      t = pk > 0 && e < 700 ? pk * Math.expm1(e) : Math.exp(lw) - pk;
      if (w) w[k] = Math.exp(lw);
    }
    const s2 = s + t;
    c += Math.abs(s) >= Math.abs(t) ? s - s2 + t : t - s2 + s;
    s = s2;
  }
  return s + c;
}
