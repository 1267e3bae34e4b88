import { DuplicatePointsError, InvalidParameterError, TooFewSamplesError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import type { Backend } from '../backend/types.js';
import { Rng } from '../core/rng.js';
import { mean, variance } from '../core/sum.js';
import { unitFor } from '../core/units.js';
import type { BaseOptions, Estimate } from '../estimate.js';

/**
 * What to do with duplicate points (zero k-NN distances, where log ε = −∞):
 * - `'error'` (default): throw {@link DuplicatePointsError} naming the sample;
 * - `'jitter'`: add independent Gaussian noise of standard deviation `jitter × (column std)` to
 *   every coordinate before estimating, with a seeded generator — the remedy of Kraskov,
 *   Stögbauer & Grassberger (2004, §II) and of scikit-learn's `mutual_info_*`.
 */
export interface DuplicateOptions {
  readonly duplicates?: 'error' | 'jitter';
  /** Relative noise level for `duplicates: 'jitter'` (default 1e-10). */
  readonly jitter?: number;
  /** Seed of the jitter noise (default 0). */
  readonly seed?: number;
}

export interface KnnOptions extends BaseOptions, DuplicateOptions {
  /** Neighbour rank k ≥ 1 (integer). */
  readonly k?: number;
}

/** Validates k: a positive integer with at least `k + extra` points in every sample that needs it. */
export function checkK(k: unknown, name: string, samples: readonly { rows: number; arg: string; extra: number }[]): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new InvalidParameterError(name, `must be a positive integer, got ${String(k)}`);
  }
  for (const s of samples) {
    if (s.rows < k + s.extra) {
      throw new TooFewSamplesError(s.arg, `has ${s.rows} points but ${name} = ${k} needs at least ${k + s.extra}; lower k or add samples`);
    }
  }
  return k;
}

/** Per-column standard deviations (population, ddof = 0). */
export function columnStd(m: Matrix): Float64Array {
  const { rows, cols, data } = m;
  const out = new Float64Array(cols);
  const col = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < rows; i++) col[i] = data[i * cols + c];
    out[c] = rows > 1 ? Math.sqrt((variance(col) * (rows - 1)) / rows) : 0;
  }
  return out;
}

/** Returns a copy of `m` with N(0, (rel·σ_c)²) noise per coordinate (σ_c the column std, 1 if 0). */
export function addJitter(m: Matrix, rel: number, rng: Rng): Matrix {
  const sd = columnStd(m);
  const data = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    for (let c = 0; c < m.cols; c++) {
      const scale = rel * (sd[c] > 0 ? sd[c] : Math.max(1, Math.abs(m.data[i * m.cols + c])));
      data[i * m.cols + c] = m.data[i * m.cols + c] + scale * rng.normal();
    }
  }
  return { data, rows: m.rows, cols: m.cols };
}

/** Applies the duplicate policy to the samples before estimation (jitter) — or leaves them. */
export function prepareDuplicates(opts: DuplicateOptions, ...ms: Matrix[]): Matrix[] {
  const policy = opts.duplicates ?? 'error';
  if (policy !== 'error' && policy !== 'jitter') {
    throw new InvalidParameterError('options.duplicates', `must be 'error' or 'jitter', got ${String(policy)}`);
  }
  if (policy === 'error') return ms;
  const rel = opts.jitter ?? 1e-10;
  if (!(rel > 0) || !Number.isFinite(rel)) throw new InvalidParameterError('options.jitter', `must be a finite number > 0, got ${String(rel)}`);
  const rng = new Rng(opts.seed ?? 0);
  return ms.map((m) => addJitter(m, rel, rng));
}

/** Throws {@link DuplicatePointsError} when a k-NN distance used under a logarithm is zero. */
export function assertPositiveDistances(dist: Float64Array, arg: string, k: number): void {
  for (let i = 0; i < dist.length; i++) {
    if (!(dist[i] > 0)) {
      throw new DuplicatePointsError(arg, `point ${i} has ${k}-th nearest-neighbour distance 0 (at least ${k} duplicates of it); ` +
        `pass duplicates: 'jitter' to break ties with tiny noise (Kraskov et al. 2004), raise k, or deduplicate`);
    }
  }
}

/** Builds the Estimate from per-sample terms whose mean is the value in nats. */
export function fromTerms(terms: Float64Array, base: number | undefined, rest: Omit<Estimate, 'value' | 'unit' | 'terms' | 'stderr'>): Estimate {
  const { scale, unit } = unitFor(base);
  const value = mean(terms) / scale;
  const stderr = terms.length > 1 ? Math.sqrt(variance(terms) / terms.length) / scale : undefined;
  return { ...rest, value, unit, terms, ...(stderr !== undefined ? { stderr } : {}) };
}

/**
 * The two k-NN distances of the Wang–Kulkarni–Verdú and Póczos–Schneider estimators (Euclidean):
 * ρ_k(i), from x_i to its k-th neighbour in x \ {x_i}, and ν_k(i), from x_i to its k-th neighbour
 * in y. Both must be positive (else {@link DuplicatePointsError}).
 */
export function crossSampleDistances(backend: Backend, X: Matrix, Y: Matrix, k: number): { rho: Float64Array; nu: Float64Array } {
  const rho = backend.kthNeighborDistance(X, X, k, { metric: 'euclidean', excludeSelf: true });
  const nu = backend.kthNeighborDistance(X, Y, k, { metric: 'euclidean', excludeSelf: false });
  assertPositiveDistances(rho, 'x', k);
  assertPositiveDistances(nu, 'y', k);
  return { rho, nu };
}
