import { InvalidParameterError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';

/** A batch of n paired samples (x_i, y_i). */
export interface Batch {
  readonly x: Matrix;
  readonly y: Matrix;
}

/** Draws a batch of `n` joint pairs for training step `step` from the shared seeded generator. */
export type Sampler = (n: number, step: number, rng: Rng) => Batch;

/**
 * Correlation ρ per coordinate pair giving a total MI of `mi` nats between x, y ∈ R^d with
 * (x_k, y_k) standard bivariate normal with correlation ρ, independent across k:
 * I = −(d/2) log(1 − ρ²), so ρ = √(1 − exp(−2I/d)) (Poole et al. 2019, §5; Song & Ermon 2020, §6).
 */
export function rhoForMi(mi: number, d: number): number {
  if (!(mi >= 0) || !Number.isFinite(mi)) throw new InvalidParameterError('mi', `must be a finite number ≥ 0, got ${String(mi)}`);
  if (!Number.isInteger(d) || d < 1) throw new InvalidParameterError('d', `must be a positive integer, got ${String(d)}`);
  return Math.sqrt(1 - Math.exp((-2 * mi) / d));
}

/** The closed-form MI (nats) of the componentwise-correlated Gaussian pair: −(d/2) log(1 − ρ²). */
export function correlatedGaussianMi(rho: number, d: number): number {
  if (!(Math.abs(rho) < 1)) throw new InvalidParameterError('rho', `must be in (−1, 1), got ${String(rho)}`);
  return (-d / 2) * Math.log1p(-rho * rho);
}

/**
 * n pairs of the componentwise-correlated Gaussian: x ~ N(0, I_d), y = ρx + √(1 − ρ²)ε. With
 * `cubic`, y ↦ y³ elementwise — an invertible map, so the MI is unchanged while the critic's
 * task is harder (Song & Ermon 2020, §6, "cubic").
 */
export function correlatedGaussian(n: number, d: number, rho: number, rng: Rng, cubic = false): Batch {
  const x = new Float64Array(n * d);
  const y = new Float64Array(n * d);
  const s = Math.sqrt(1 - rho * rho);
  for (let k = 0; k < n * d; k++) {
    const a = rng.normal();
    const e = rng.normal();
    x[k] = a;
    const v = rho * a + s * e;
    y[k] = cubic ? v * v * v : v;
  }
  return { x: { data: x, rows: n, cols: d }, y: { data: y, rows: n, cols: d } };
}

/**
 * The staircase of Poole et al. (2019, Fig. 2) / Song & Ermon (2020, Fig. 1): the true MI is
 * `levels[k]` nats for steps [k·stepsPerLevel, (k+1)·stepsPerLevel) (default levels 2, 4, 6, 8,
 * 10; d = 20).
 */
export function staircaseSampler(options: { d?: number; levels?: readonly number[]; stepsPerLevel: number; cubic?: boolean }): Sampler & { truth(step: number): number } {
  const d = options.d ?? 20;
  const levels = options.levels ?? [2, 4, 6, 8, 10];
  const per = options.stepsPerLevel;
  if (!Number.isInteger(per) || per < 1) throw new InvalidParameterError('options.stepsPerLevel', `must be a positive integer, got ${String(per)}`);
  const truth = (step: number): number => levels[Math.min(levels.length - 1, Math.floor(step / per))];
  const rhos = levels.map((mi) => rhoForMi(mi, d));
  const sampler = (n: number, step: number, rng: Rng): Batch =>
    correlatedGaussian(n, d, rhos[Math.min(levels.length - 1, Math.floor(step / per))], rng, options.cubic ?? false);
  return Object.assign(sampler, { truth });
}
