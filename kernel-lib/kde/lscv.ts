import type { Samples } from '../core/matrix.js';
import { cvSelect, type BandwidthSelection, type CvOptions } from './selection.js';

/**
 * Least-squares cross-validation (Rudemo 1982, Scand. J. Stat. 9; Bowman 1984, Biometrika 71):
 * the bandwidth minimising the unbiased estimate of ISE(h) − ∫ρ²,
 *   LSCV(h) = (1/n²) Σ_{i,j} (K_h ∗ K_h)(x_i − x_j) − (2/(n(n−1))) Σ_{i≠j} K_h(x_i − x_j)
 * (statsmodels `cv_ls` / `imse`), Gaussian kernel (K_h ∗ K_h = K_{√2h}). Damped Newton in log h
 * with analytic gradient and Hessian from the best point of a grid; LSCV may have several local
 * minima — the curve shows them.
 */
export function lscv(x: Samples, opts: CvOptions = {}): BandwidthSelection {
  return cvSelect('lscv', x, opts);
}
