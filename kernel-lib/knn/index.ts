/**
 * The k-nearest-neighbour family: entropy, KL, Rényi and f-divergences, mutual information.
 * All values are in nats unless `base` says otherwise.
 */
export { entropy, type EntropyOptions } from './entropy.js';
export { kl } from './kl.js';
export { renyi, logBiasConstant, type RenyiOptions } from './renyi.js';
export { nnr, ensembleWeights, defaultEnsemble, neighbourLabelCounts, type NnrOptions } from './nnr.js';
export { mutualInfo, type MutualInfoOptions } from './mutual-info.js';
export type { KnnOptions, DuplicateOptions } from './common.js';
