export { gaussianEntropy as entropy, gaussianKl as kl, gaussianRenyi as renyi, gaussianMutualInfo as mutualInfo } from './closed-form.js';
export type { GaussianParams } from './closed-form.js';
export { sampleGaussian as sample, isotropic } from './sample.js';
