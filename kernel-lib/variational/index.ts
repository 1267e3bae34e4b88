/**
 * divlab/variational — neural variational lower bounds on mutual information (DV/MINE, NWJ,
 * InfoNCE, JS, SMILE) as pure functions of a batch critic score matrix, trainable critics
 * (separable f(x)ᵀg(y) and concatenated h([x, y])), and `train`, all on divlab/autodiff.
 *
 * @example
 * import { variational } from 'divlab';
 * const r = variational.train(x, y, { bound: 'smile', clip: 5, steps: 2000, batch: 64, seed: 1 });
 * r.estimate.value;             // nats
 * r.history.value;              // per-step bound values (and gradNorm, time)
 */
export {
  infoNce, nwj, dv, js, smile, mine, mineState, bound,
  type BoundResult, type BoundName, type BoundOptions, type MineState,
} from './bounds.js';
export { offDiagonalLogMeanExp, offDiagonalSoftmax } from './log-mean-exp.js';
export { offDiagonalLogMeanExpGpu, logMeanExpGpuMode } from './log-mean-exp-gpu.js';
export { SeparableCritic, ConcatCritic, critic, type Critic, type CriticOptions } from './critics.js';
export { train, type TrainOptions, type TrainResult, type TrainHistory, type StepInfo } from './train.js';
export { rhoForMi, correlatedGaussianMi, correlatedGaussian, staircaseSampler, type Sampler, type Batch } from './samplers.js';
