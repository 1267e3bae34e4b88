/**
 * Score-based mutual information: MINDE (Franzese, Bounoua & Michiardi 2024) on a variance-preserving
 * diffusion, with the learned score exposed at any (x, t) and the exact score of diffused Gaussians.
 */
export { trainMinde, mutualInfo, MindeModel, type MindeOptions, type MindeTrainOptions, type MindeEstimateOptions, type ScoreMode } from './minde.js';
export { ScoreNetwork, type ScoreActivation } from './network.js';
export {
  DEFAULT_SCHEDULE, beta, integratedBeta, meanFactor, noiseStd, importanceNormaliser, importanceTime,
  sampleImportanceTimes, gaussianDiffusedScore, type VpSchedule,
} from './vp.js';
export { mindeEstimate, type NoisePredictor } from './minde.js';
export { gaussianNoisePredictor } from './oracle.js';
