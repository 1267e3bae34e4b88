/**
 * The typed error family of divlab. Every error thrown for bad input names the offending
 * argument in `argument` and in its message, and says what to change.
 */
export class DivlabError extends Error {
  /** The name of the argument (or option) at fault, e.g. `x`, `y`, `options.k`. */
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.argument = argument;
    this.name = new.target.name;
  }
}

/** Ragged rows, empty input, unsupported container types. */
export class ShapeError extends DivlabError {}

/** NaN or ±Infinity where a finite number is required. */
export class NonFiniteError extends DivlabError {}

/** Two sample sets whose dimensions (columns) or sizes disagree where they must agree. */
export class DimensionMismatchError extends DivlabError {}

/** Too few points for the requested neighbour count k (or the estimator's minimum). */
export class TooFewSamplesError extends DivlabError {}

/** An option of the wrong type or out of its domain (non-integer k, alpha = 1, ...). */
export class InvalidParameterError extends DivlabError {}

/**
 * Zero k-th nearest-neighbour distances (duplicate points), for which a log-distance estimator is
 * undefined. The message names the argument and the remedy (`duplicates: 'jitter'`).
 */
export class DuplicatePointsError extends DivlabError {}

/** A requested backend that cannot run here (e.g. gpu.js failed to initialise). */
export class BackendError extends DivlabError {}

/**
 * The data led to an estimate that does not exist (e.g. an ensemble's weighted integral ≤ 0 under a
 * logarithm). The message says what to change (more samples, other k).
 */
export class EstimationError extends DivlabError {}
