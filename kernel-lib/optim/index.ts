/**
 * divlab/optim — first-order optimisers over autodiff parameters: Adam and SGD (with momentum),
 * plus the joint gradient norm and norm clipping. See divlab/autodiff for a training-loop example.
 */
export { Adam, adam, type AdamOptions } from './adam.js';
export { Sgd, sgd, type SgdOptions } from './sgd.js';
export { gradNorm, clipGradNorm } from './common.js';
