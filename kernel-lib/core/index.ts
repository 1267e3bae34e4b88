export * from './errors.js';
export * from './matrix.js';
export { digamma, lgamma, logUnitBallVolume } from './special.js';
export { sum, mean, variance, logSumExp, NeumaierSum } from './sum.js';
export { Rng } from './rng.js';
export { cholesky, inverseSpd, logDetFromCholesky } from './linalg.js';
export { eigh, sqrtm, invSqrtm, invSpdEig, applySpectral, type SymmetricEigen } from './eigh.js';
