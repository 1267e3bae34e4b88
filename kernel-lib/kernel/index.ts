/**
 * divlab/kernel — kernel two-sample divergences from samples: MMD² (unbiased/biased) with a
 * permutation test, and the Cauchy–Schwarz divergence of Parzen estimates; bandwidth by the median
 * heuristic or the KDE module's rules. Bulk work on the kernel sums of kernel-lib/backend.
 */
export { mmd, type MmdOptions, type MmdResult } from './mmd.js';
export { cauchySchwarz, type CauchySchwarzOptions } from './cauchy-schwarz.js';
export { medianHeuristic, resolveBandwidth, MEDIAN_MAX_POINTS, type Bandwidth } from './bandwidth.js';
export { gaussianCauchySchwarz, gaussianMmd2, type GaussianSpec } from './closed-form.js';
