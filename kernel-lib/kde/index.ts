/**
 * Kernel density estimation with bandwidth selection, and KDE plug-in divergences.
 *
 * const m = kde.fit(x, { bandwidth: 'lcv' });   // m.bandwidth_, m.covariance_, m.logDensity(q)
 * kde.lcv(x).curve                              // the criterion it optimised, for widgets
 */
export { fit, type Kde, type KdeOptions, type KdeKernel, type BandwidthRule } from './fit.js';
export { scott, silverman } from './rules.js';
export { lcv } from './lcv.js';
export { lscv } from './lscv.js';
export { isj } from './isj.js';
export { divergence, type KdeDivergenceOptions } from './divergence.js';
export { spread, whiten, type Spread, type SpreadKind } from './spread.js';
export type { BandwidthSelection, SelectorOptions, CvOptions } from './selection.js';
export { CvObjective, type CvKind, type CvValue } from './cv.js';
export { kernelSums, logKernelSums, type KernelSumOptions } from '../backend/kernel-sums.js';
