import type { Samples } from '../core/matrix.js';
import { cvSelect, type BandwidthSelection, type CvOptions } from './selection.js';

/**
 * Likelihood cross-validation: the bandwidth maximising the leave-one-out log-likelihood
 *   LCV(h) = (1/n) Σ_i log ρ̂_{h,−i}(x_i),  ρ̂_{h,−i}(x) = (1/(n−1)) Σ_{j≠i} K_h(x − x_j),
 * the KL-optimal bandwidth: E[LCV(h)] = −H(ρ) − E KL(ρ‖ρ̂_{h,n−1}), so it minimises the estimated
 * KL(ρ‖ρ̂_h) (Hall 1987, Ann. Stat. 15(4) 1491; statsmodels `cv_ml`). Gaussian kernel; damped
 * Newton in log h with the analytic gradient and Hessian (`cv.ts`), to 1e−9 in log h.
 * Default: one factor on the data's covariance (scipy-style); `perDimension: true` gives
 * statsmodels' per-coordinate bandwidths.
 *
 * @example lcv(x).h   // the factor; lcv(x, { perDimension: true }).bandwidths  // as statsmodels
 */
export function lcv(x: Samples, opts: CvOptions = {}): BandwidthSelection {
  return cvSelect('lcv', x, opts);
}
