import { InvalidParameterError } from '../core/errors.js';
import { inverseSpd } from '../core/linalg.js';
import type { NoisePredictor } from './minde.js';
import { meanFactor, noiseStd, type VpSchedule } from './vp.js';

/**
 * The exact noise predictor ε̂ = −σ_t ∇log p_t of a centred Gaussian pair (X, Y) ~ N(0, C) under
 * the VP diffusion, for every MINDE mask, recognised from (τ_x, τ_y) as the network sees them:
 * - τ_x = τ_y = t (joint):   z_t ~ N(0, a²C + σ²I)  ⇒ ε̂ = σ (a²C + σ²I)⁻¹ z;
 * - τ_y = 1 (x marginal):    ε̂_x = σ (a²C_xx + σ²I)⁻¹ x_t;
 * - τ_y = 0 (x | y clean):   X | y ~ N(C_xy C_yy⁻¹ y, C_xx − C_xy C_yy⁻¹ C_yx) ⇒
 *                            ε̂_x = σ (a² C_{x|y} + σ²I)⁻¹ (x_t − a C_xy C_yy⁻¹ y);
 * and symmetrically for y. Outputs of the non-diffused block are 0. Plugging it into
 * {@link mindeEstimate} measures MINDE's integration error (time truncation, importance-sampling
 * Monte Carlo) with no learning error.
 */
export function gaussianNoisePredictor(cov: ArrayLike<number>, dx: number, dy: number, schedule: VpSchedule): NoisePredictor {
  const D = dx + dy;
  if (cov.length !== D * D) throw new InvalidParameterError('cov', `expected ${D}×${D} entries, got ${cov.length}`);
  const C = Float64Array.from(cov);
  const block = (r0: number, r1: number, c0: number, c1: number) => {
    const out = new Float64Array((r1 - r0) * (c1 - c0));
    for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) out[(i - r0) * (c1 - c0) + (j - c0)] = C[i * D + j];
    return out;
  };
  const mm = (a: Float64Array, b: Float64Array, r: number, s: number, t: number) => {
    const o = new Float64Array(r * t);
    for (let i = 0; i < r; i++) for (let k = 0; k < s; k++) for (let j = 0; j < t; j++) o[i * t + j] += a[i * s + k] * b[k * t + j];
    return o;
  };
  const parts = (p: 'x' | 'y') => {
    const [a0, a1, b0, b1] = p === 'x' ? [0, dx, dx, D] : [dx, D, 0, dx];
    const da = a1 - a0;
    const db = b1 - b0;
    const caa = block(a0, a1, a0, a1);
    const cab = block(a0, a1, b0, b1);
    const cbb = block(b0, b1, b0, b1);
    const reg = mm(cab, inverseSpd(cbb, db, 'cov'), da, db, db); // C_ab C_bb⁻¹
    const cba = block(b0, b1, a0, a1);
    const ccond = caa.slice();
    const t = mm(reg, cba, da, db, da);
    for (let i = 0; i < ccond.length; i++) ccond[i] -= t[i];
    return { a0, a1, b0, b1, da, db, caa, reg, ccond };
  };
  const px = parts('x');
  const py = parts('y');
  const solve = (m: Float64Array, d: number, a: number, s2: number, v: Float64Array, sigma: number) => {
    const k = new Float64Array(d * d);
    for (let i = 0; i < d * d; i++) k[i] = a * a * m[i];
    for (let i = 0; i < d; i++) k[i * d + i] += s2;
    const inv = inverseSpd(k, d, 'a²C + σ²I');
    const o = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += inv[i * d + j] * v[j];
      o[i] = sigma * s;
    }
    return o;
  };
  return (z, tx, ty) => {
    const N = tx.length;
    const out = new Float64Array(N * D);
    for (let r = 0; r < N; r++) {
      const row = z.subarray(r * D, (r + 1) * D);
      if (tx[r] === ty[r]) {
        const t = tx[r];
        const a = meanFactor(schedule, t);
        const s = noiseStd(schedule, t);
        out.set(solve(C, D, a, s * s, Float64Array.from(row), s), r * D);
        continue;
      }
      const p = ty[r] === 1 || ty[r] === 0 ? px : py;
      const t = p === px ? tx[r] : ty[r];
      const other = p === px ? ty[r] : tx[r];
      const a = meanFactor(schedule, t);
      const s = noiseStd(schedule, t);
      const v = Float64Array.from(row.subarray(p.a0, p.a1));
      if (other === 1) {
        out.set(solve(p.caa, p.da, a, s * s, v, s), r * D + p.a0);
      } else if (other === 0) {
        const yb = row.subarray(p.b0, p.b1);
        for (let i = 0; i < p.da; i++) {
          let m = 0;
          for (let j = 0; j < p.db; j++) m += p.reg[i * p.db + j] * yb[j];
          v[i] -= a * m;
        }
        out.set(solve(p.ccond, p.da, a, s * s, v, s), r * D + p.a0);
      } else {
        throw new InvalidParameterError('tau', `row ${r}: times (${tx[r]}, ${ty[r]}) match no MINDE mask`);
      }
    }
    return out;
  };
}
