/**
 * Gaussian variational inference in the Bures–Wasserstein space: FB-GVI (Diao et al. 2023) and its
 * peers BW-GD (Lambert et al. 2022) and reparameterised ADVI (Kucukelbir et al. 2017), on targets
 * given by logDensity / gradLogDensity (optionally a Hessian).
 */
export { fbgvi, congruence, sandwich } from './fbgvi.js';
export { bwgd } from './bwgd.js';
export { advi, type AdviOptions } from './advi.js';
export { jkoEntropyStep } from './jko-entropy.js';
export { potentialExpectations, type PotentialExpectations } from './expectations.js';
export { gaussianTarget, logisticRegressionTarget, syntheticLogistic, illConditionedCov, checkTarget, type Target } from './target.js';
export type { VIOptions, VIRun, VIStep } from './run.js';
export { fitLogKlSlope } from './rate.js';
export { eigh, sqrtm, invSqrtm, applySpectral, type SymmetricEigen } from '../core/eigh.js';
