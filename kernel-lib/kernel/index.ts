/**
 * divlab/kernel — kernel two-sample divergences from samples: MMD² (unbiased/biased) with a
 * permutation test, and the Cauchy–Schwarz divergence of Parzen estimates; bandwidth by the median
 * heuristic or the KDE module's rules; both with gradients with respect to the sample points
 * (`grad: true`). Bulk work on the kernel sums and kernel displacements of kernel-lib/backend.
 */
export { mmd, type MmdOptions, type MmdResult } from './mmd.js';
export { cauchySchwarz, type CauchySchwarzOptions, type CauchySchwarzResult } from './cauchy-schwarz.js';
export { medianHeuristic, resolveBandwidth, MEDIAN_MAX_POINTS, type Bandwidth } from './bandwidth.js';
export { gaussianCauchySchwarz, gaussianMmd2, type GaussianSpec } from './closed-form.js';
