import { InvalidParameterError } from '../core/errors.js';
import { inverseSpd } from '../core/linalg.js';
import type { Rng } from '../core/rng.js';

/**
 * The variance-preserving (VP) diffusion of Song, Sohl-Dickstein, Kingma, Kumar, Ermon & Poole
 * (2021, ICLR, eq. (11)) used by MINDE (Franzese et al. 2024):
 *
 *   dX_t = −½ β(t) X_t dt + √β(t) dW_t,   β(t) = β_min + (β_max − β_min) t,   t ∈ [0, 1],
 *
 * so X_t | X_0 ~ N(a_t X_0, σ_t² I) with B(t) = ∫₀ᵗ β = β_min t + ½(β_max − β_min) t²,
 * a_t = exp(−½ B(t)), σ_t² = 1 − a_t² (Song et al. 2021, App. B). A network predicting the noise
 * ε̂ gives the score s(x_t, t) = −ε̂ / σ_t.
 */
export interface VpSchedule {
  readonly betaMin: number;
  readonly betaMax: number;
  /** Lower truncation of diffusion time (the integrals run over [tEps, 1]). */
  readonly tEps: number;
}

export const DEFAULT_SCHEDULE: VpSchedule = { betaMin: 0.1, betaMax: 20, tEps: 1e-3 };

export function checkSchedule(s: Partial<VpSchedule> | undefined): VpSchedule {
  const out = { ...DEFAULT_SCHEDULE, ...(s ?? {}) };
  if (!(out.betaMin > 0) || !(out.betaMax >= out.betaMin) || !Number.isFinite(out.betaMax)) {
    throw new InvalidParameterError('options.schedule', `need 0 < betaMin ≤ betaMax < ∞, got ${out.betaMin}, ${out.betaMax}`);
  }
  if (!(out.tEps > 0 && out.tEps < 1)) throw new InvalidParameterError('options.schedule.tEps', `must be in (0, 1), got ${out.tEps}`);
  return out;
}

/** β(t). */
export function beta(s: VpSchedule, t: number): number {
  return s.betaMin + (s.betaMax - s.betaMin) * t;
}

/** B(t) = ∫₀ᵗ β. */
export function integratedBeta(s: VpSchedule, t: number): number {
  return s.betaMin * t + 0.5 * (s.betaMax - s.betaMin) * t * t;
}

/** Mean factor a_t = exp(−½ B(t)). */
export function meanFactor(s: VpSchedule, t: number): number {
  return Math.exp(-0.5 * integratedBeta(s, t));
}

/** σ_t = √(1 − a_t²) = √(−expm1(−B(t))), accurate for small t. */
export function noiseStd(s: VpSchedule, t: number): number {
  return Math.sqrt(-Math.expm1(-integratedBeta(s, t)));
}

/**
 * Importance distribution of diffusion time for the Girsanov integrals ∫ (β(t)/2) E‖Δs‖² dt with
 * s = −ε̂/σ: the integrand is (β(t)/(2σ_t²)) E‖Δε̂‖², so sampling t ∝ q(t) = β(t)/(σ_t² Z) on
 * [tEps, 1] leaves the estimator (Z/2)·‖Δε̂‖² (Franzese et al. 2024, importance
 * sampling; the likelihood weighting of Song, Durkan, Murray & Ermon 2021 / Huang, Lim & Courville 2021).
 *
 * Closed form: β/σ² = d/dt log(e^{B(t)} − 1), so Z = log(e^{B(1)} − 1) − log(e^{B(tEps)} − 1) and
 * the inverse CDF is B(t) = log(1 + exp(c₀ + uZ)), c₀ = log(e^{B(tEps)} − 1), then t from the quadratic B(t).
 */
export function importanceNormaliser(s: VpSchedule): number {
  return logExpm1(integratedBeta(s, 1)) - logExpm1(integratedBeta(s, s.tEps));
}

/** t = F⁻¹(u) of the importance distribution, u ∈ [0, 1]. */
export function importanceTime(s: VpSchedule, u: number): number {
  const c0 = logExpm1(integratedBeta(s, s.tEps));
  const z = importanceNormaliser(s);
  const v = c0 + u * z;
  const b = v > 30 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)); // log(1 + e^v)
  // Solve ½(βmax − βmin) t² + βmin t − b = 0 for t ≥ 0.
  const a2 = 0.5 * (s.betaMax - s.betaMin);
  const t = a2 === 0 ? b / s.betaMin : (2 * b) / (s.betaMin + Math.sqrt(s.betaMin * s.betaMin + 4 * a2 * b));
  return Math.min(1, Math.max(s.tEps, t));
}

/** Draws n times from the importance distribution (stratified: one per equal-probability stratum, shuffled order irrelevant). */
export function sampleImportanceTimes(s: VpSchedule, n: number, rng: Rng, stratified = true): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = stratified ? (i + rng.uniform()) / n : rng.uniform();
    out[i] = importanceTime(s, u);
  }
  // Shuffle so that time is independent of the row index.
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return out;
}

function logExpm1(b: number): number {
  return b > 30 ? b + Math.log1p(-Math.exp(-b)) : Math.log(Math.expm1(b));
}

/**
 * The exact score of the diffused Gaussian: if X₀ ~ N(μ, C) then X_t ~ N(a_t μ, a_t² C + σ_t² I) and
 * ∇ log p_t(x) = −(a_t² C + σ_t² I)⁻¹ (x − a_t μ). For drawing the error of a learned score field.
 * Points are rows of `x` (n×d row-major); returns n×d.
 */
export function gaussianDiffusedScore(mean: ArrayLike<number>, cov: ArrayLike<number>, s: VpSchedule, t: number, x: ArrayLike<number>): Float64Array {
  const d = mean.length;
  const a = meanFactor(s, t);
  const sig2 = noiseStd(s, t) ** 2;
  const m = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) m[i] = a * a * cov[i];
  for (let i = 0; i < d; i++) m[i * d + i] += sig2;
  const p = inverseSpd(m, d, 'a_t² C + σ_t² I');
  const n = x.length / d;
  const out = new Float64Array(x.length);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let j = 0; j < d; j++) v += p[i * d + j] * (x[r * d + j] - a * mean[j]);
      out[r * d + i] = -v;
    }
  }
  return out;
}
