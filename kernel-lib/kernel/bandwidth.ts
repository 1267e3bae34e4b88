import { InvalidParameterError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { Rng } from '../core/rng.js';
import { cpuBackend } from '../backend/index.js';
import { scott, silverman } from '../kde/rules.js';

/**
 * Bandwidth of the Gaussian kernel K(r) = exp(−r²/(2h²)): a number (data units), `'median'` (the
 * median heuristic), or a KDE rule (`'scott'`, `'silverman'`, from kernel-lib/kde, applied to the
 * pooled sample with an isotropic spread: h = f·(geometric-mean column std)).
 */
export type Bandwidth = number | 'median' | 'scott' | 'silverman';

/** Most points used by the median heuristic (a seeded subsample above it; O(N²) distances). */
export const MEDIAN_MAX_POINTS = 1000;

/**
 * Median heuristic: h = median{‖z_i − z_j‖ : i < j} over the pooled sample z = x ∪ y (Gretton,
 * Borgwardt, Rasch, Schölkopf & Smola 2012, JMLR 13, §8; Schölkopf & Smola 2002). Above
 * {@link MEDIAN_MAX_POINTS} points a seeded uniform subsample of that size is used.
 * Throws when the median distance is 0 (more than half the pairs are duplicates).
 */
export function medianHeuristic(z: Matrix, seed = 0, maxPoints = MEDIAN_MAX_POINTS): number {
  let Z = z;
  if (z.rows > maxPoints) {
    const perm = new Rng(seed).permutation(z.rows);
    const data = new Float64Array(maxPoints * z.cols);
    for (let i = 0; i < maxPoints; i++) data.set(z.data.subarray(perm[i] * z.cols, (perm[i] + 1) * z.cols), i * z.cols);
    Z = { data, rows: maxPoints, cols: z.cols };
  }
  const N = Z.rows;
  const D = cpuBackend().pairwiseDistances(Z, Z, 'euclidean');
  const vals = new Float64Array((N * (N - 1)) / 2);
  let t = 0;
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) vals[t++] = D[i * N + j];
  vals.sort();
  const L = vals.length;
  const med = L % 2 ? vals[(L - 1) / 2] : 0.5 * (vals[L / 2 - 1] + vals[L / 2]);
  if (!(med > 0)) throw new InvalidParameterError('options.bandwidth', `the median heuristic gave ${med} (most pairs of points coincide); pass a numeric bandwidth`);
  return med;
}

/** Resolves a {@link Bandwidth} option on the pooled sample. */
export function resolveBandwidth(bw: Bandwidth | undefined, pooled: Matrix, seed = 0): number {
  const b = bw ?? 'median';
  if (typeof b === 'number') {
    if (!Number.isFinite(b) || b <= 0) throw new InvalidParameterError('options.bandwidth', `must be a finite number > 0, 'median', 'scott' or 'silverman', got ${b}`);
    return b;
  }
  if (b === 'median') return medianHeuristic(pooled, seed);
  if (b === 'scott') return scott(pooled, { covariance: 'identity' }).h;
  if (b === 'silverman') return silverman(pooled, { covariance: 'identity' }).h;
  throw new InvalidParameterError('options.bandwidth', `must be a number > 0, 'median', 'scott' or 'silverman', got ${String(b)}`);
}
