import { InvalidParameterError } from './errors.js';

/**
 * Small dense linear algebra in float64 for d×d row-major matrices (d up to a few hundred).
 */

/** Lower-triangular Cholesky factor L with A = L Lᵀ; throws if A is not symmetric positive definite. */
export function cholesky(a: ArrayLike<number>, d: number, name = 'covariance'): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new InvalidParameterError(name, `is not positive definite (pivot ${i} = ${s}); a covariance must be symmetric with positive eigenvalues`);
        }
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j];
      }
    }
  }
  return l;
}

/** log det A from its Cholesky factor. */
export function logDetFromCholesky(l: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i]);
  return 2 * s;
}

/** Inverse of a symmetric positive-definite matrix via its Cholesky factor. */
export function inverseSpd(a: ArrayLike<number>, d: number, name = 'covariance'): Float64Array {
  const l = cholesky(a, d, name);
  // Solve L Lᵀ X = I column by column.
  const inv = new Float64Array(d * d);
  const y = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    for (let i = 0; i < d; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i * d + k] * y[k];
      y[i] = s / l[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < d; k++) s -= l[k * d + i] * inv[k * d + c];
      inv[i * d + c] = s / l[i * d + i];
    }
  }
  return inv;
}

/** C = A B for row-major A (r×s) and B (s×t). */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, r: number, s: number, t: number): Float64Array {
  const c = new Float64Array(r * t);
  for (let i = 0; i < r; i++) {
    for (let k = 0; k < s; k++) {
      const aik = a[i * s + k];
      if (aik === 0) continue;
      for (let j = 0; j < t; j++) c[i * t + j] += aik * b[k * t + j];
    }
  }
  return c;
}

/** trace(A) of a d×d matrix. */
export function trace(a: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += a[i * d + i];
  return s;
}
