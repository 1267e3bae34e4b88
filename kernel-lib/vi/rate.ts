import { InvalidParameterError } from '../core/errors.js';

/**
 * Least-squares slope of log KL against the iteration over the recorded steps with
 * `from ≤ iteration ≤ to` (and KL > `floor`, to stay above round-off): the empirical linear rate,
 * KL_k ≈ C·r^k with log r = slope. Compare with 2·log(1 − αh) (the mean error's contraction for a
 * Gaussian target) and log(1 − αh) (Diao et al. 2023's W₂² bound).
 */
export function fitLogKlSlope(steps: readonly { iteration: number; kl?: number }[], from = 0, to = Infinity, floor = 1e-12): { slope: number; intercept: number; points: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of steps) {
    if (s.iteration < from || s.iteration > to || s.kl === undefined || !(s.kl > floor)) continue;
    xs.push(s.iteration);
    ys.push(Math.log(s.kl));
  }
  if (xs.length < 2) throw new InvalidParameterError('steps', `need at least two steps with KL > ${floor} in [${from}, ${to}], got ${xs.length}`);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, points: n };
}
