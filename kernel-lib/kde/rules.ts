import type { Samples } from '../core/matrix.js';
import { geoStd, perCoordinate, prepare, type BandwidthSelection, type SelectorOptions } from './selection.js';

/**
 * Scott's rule (Scott 1992, Multivariate Density Estimation, eq. (6.42)): the factor
 * f = n_eff^{−1/(d+4)} multiplying the data's covariance (kernel covariance f²Σ), as scipy
 * `gaussian_kde(bw_method='scott')`. Never the bare n^{−1/(d+4)} in data units: with
 * `covariance: 'identity'` the factor is multiplied by the data's geometric-mean standard deviation.
 *
 * @example scott(x).h   // n = 200, d = 2: 200^{−1/6} = 0.4135
 */
export function scott(x: Samples, opts: SelectorOptions = {}): BandwidthSelection {
  return rule('scott', x, opts, (n, d) => n ** (-1 / (d + 4)));
}

/**
 * Silverman's rule of thumb (Silverman 1986, Density Estimation, eq. (4.14)), in scipy's
 * multivariate form f = (n_eff (d + 2)/4)^{−1/(d+4)} multiplying the covariance.
 */
export function silverman(x: Samples, opts: SelectorOptions = {}): BandwidthSelection {
  return rule('silverman', x, opts, (n, d) => ((n * (d + 2)) / 4) ** (-1 / (d + 4)));
}

function rule(selector: 'scott' | 'silverman', x: Samples, opts: SelectorOptions, factor: (n: number, d: number) => number): BandwidthSelection {
  const { x: X, s } = prepare(x, opts);
  const d = X.cols;
  let f = factor(s.neff, d);
  if (s.kind === 'identity') f *= geoStd(X);
  const empty = new Float64Array(0);
  return {
    selector, h: f, bandwidths: perCoordinate(f, s, d), curve: { h: empty, score: empty }, grad: empty, score: 0,
    covariance: s.kind, n: X.rows, d,
  };
}

/** The factor of a rule for an effective sample size (used by `fit` with weights). */
export function ruleFactor(rule: 'scott' | 'silverman', neff: number, d: number): number {
  return rule === 'scott' ? neff ** (-1 / (d + 4)) : ((neff * (d + 2)) / 4) ** (-1 / (d + 4));
}
