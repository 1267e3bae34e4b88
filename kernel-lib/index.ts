/**
 * divlab — estimators of divergences and information quantities.
 *
 * import { knn, gaussian } from 'divlab';
 * knn.kl(x, y, { k: 5 }).value   // nats
 */
export * as knn from './knn/index.js';
export * as gaussian from './gaussian/index.js';
export * as core from './core/index.js';
export * as backend from './backend/index.js';
export * as neighbors from './neighbors/index.js';
export * as display from './display/index.js';
export * as kde from './kde/index.js';
export * as fdiv from './fdiv/index.js';
export * as ot from './ot/index.js';
export * as kernel from './kernel/index.js';
export * as autodiff from './autodiff/index.js';
export * as optim from './optim/index.js';
export * as variational from './variational/index.js';
export * as vi from './vi/index.js';
export * as score from './score/index.js';
export type { Estimate, Unit, BaseOptions } from './estimate.js';
export {
  DivlabError, ShapeError, NonFiniteError, DimensionMismatchError, TooFewSamplesError,
  InvalidParameterError, DuplicatePointsError, BackendError, EstimationError,
} from './core/errors.js';
export { Rng } from './core/rng.js';
export { toMatrix, type Matrix, type Samples } from './core/matrix.js';
