import { InvalidParameterError } from './errors.js';
import { Rng } from './rng.js';

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

/**
 * Inverse of a symmetric positive-definite matrix via its Cholesky factor: L Y = I, then Lᵀ X = Y.
 * Both triangular solves run on all d right-hand sides at once, row by row (Y_i ← (e_i − Σ_{k<i}
 * l_ik Y_k) / l_ii, X_i ← (Y_i − Σ_{k>i} l_ki X_k) / l_ii, k ascending), so every inner loop is a
 * contiguous row update; each entry sees the same operations in the same order as the
 * column-by-column substitution, so the result is bit-for-bit the same.
 */
export function inverseSpd(a: ArrayLike<number>, d: number, name = 'covariance'): Float64Array {
  const l = cholesky(a, d, name);
  const y = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const ri = i * d;
    y[ri + i] = 1;
    for (let k = 0; k < i; k++) {
      const lik = l[ri + k];
      const rk = k * d;
      for (let c = 0; c < d; c++) y[ri + c] -= lik * y[rk + c];
    }
    const lii = l[ri + i];
    for (let c = 0; c < d; c++) y[ri + c] /= lii;
  }
  const inv = y; // X overwrites Y row by row, from the last row up (row i of Y is read only for X_i)
  for (let i = d - 1; i >= 0; i--) {
    const ri = i * d;
    for (let k = i + 1; k < d; k++) {
      const lki = l[k * d + i];
      const rk = k * d;
      for (let c = 0; c < d; c++) inv[ri + c] -= lki * inv[rk + c];
    }
    const lii = l[ri + i];
    for (let c = 0; c < d; c++) inv[ri + c] /= lii;
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

/**
 * C = A B into `out` (r×t, overwritten) for row-major A (r×s) and B (s×t): the cache-friendly
 * i-k-j order (B and C are read along rows), four rows of C per pass and k unrolled by two, so
 * each pair of B loads feeds eight multiply-adds and each C entry is loaded and stored once per
 * two k (rows left over go two and one at a time). Unlike {@link matmul} it does not skip zero entries of A (0·∞ gives NaN, as in BLAS dgemm).
 * `out` must not alias `a` or `b`.
 */
export function matmulInto(a: ArrayLike<number>, b: ArrayLike<number>, r: number, s: number, t: number, out: Float64Array): Float64Array {
  out.fill(0, 0, r * t);
  let i = 0;
  for (; i + 3 < r; i += 4) {
    const a0 = i * s;
    const a1 = a0 + s;
    const a2 = a1 + s;
    const a3 = a2 + s;
    const c0 = i * t;
    const c1 = c0 + t;
    const c2 = c1 + t;
    const c3 = c2 + t;
    let k = 0;
    for (; k + 1 < s; k += 2) {
      const x00 = a[a0 + k];
      const x01 = a[a0 + k + 1];
      const x10 = a[a1 + k];
      const x11 = a[a1 + k + 1];
      const x20 = a[a2 + k];
      const x21 = a[a2 + k + 1];
      const x30 = a[a3 + k];
      const x31 = a[a3 + k + 1];
      const b0 = k * t;
      const b1 = b0 + t;
      for (let j = 0; j < t; j++) {
        const y0 = b[b0 + j];
        const y1 = b[b1 + j];
        out[c0 + j] += x00 * y0 + x01 * y1;
        out[c1 + j] += x10 * y0 + x11 * y1;
        out[c2 + j] += x20 * y0 + x21 * y1;
        out[c3 + j] += x30 * y0 + x31 * y1;
      }
    }
    if (k < s) {
      const x0 = a[a0 + k];
      const x1 = a[a1 + k];
      const x2 = a[a2 + k];
      const x3 = a[a3 + k];
      const b0 = k * t;
      for (let j = 0; j < t; j++) {
        const y = b[b0 + j];
        out[c0 + j] += x0 * y;
        out[c1 + j] += x1 * y;
        out[c2 + j] += x2 * y;
        out[c3 + j] += x3 * y;
      }
    }
  }
  for (; i + 1 < r; i += 2) {
    const a0 = i * s;
    const a1 = a0 + s;
    const c0 = i * t;
    const c1 = c0 + t;
    let k = 0;
    for (; k + 1 < s; k += 2) {
      const x00 = a[a0 + k];
      const x01 = a[a0 + k + 1];
      const x10 = a[a1 + k];
      const x11 = a[a1 + k + 1];
      const b0 = k * t;
      const b1 = b0 + t;
      for (let j = 0; j < t; j++) {
        const y0 = b[b0 + j];
        const y1 = b[b1 + j];
        out[c0 + j] += x00 * y0 + x01 * y1;
        out[c1 + j] += x10 * y0 + x11 * y1;
      }
    }
    if (k < s) {
      const x0 = a[a0 + k];
      const x1 = a[a1 + k];
      const b0 = k * t;
      for (let j = 0; j < t; j++) {
        const y = b[b0 + j];
        out[c0 + j] += x0 * y;
        out[c1 + j] += x1 * y;
      }
    }
  }
  if (i < r) {
    const a0 = i * s;
    const c0 = i * t;
    for (let k = 0; k < s; k++) {
      const x = a[a0 + k];
      const b0 = k * t;
      for (let j = 0; j < t; j++) out[c0 + j] += x * b[b0 + j];
    }
  }
  return out;
}

/**
 * C = A Bᵀ into `out` (r×r) for row-major A and B (both r×s) *known to give a symmetric C* (e.g.
 * A = M Σ, B = M for the congruence M Σ Mᵀ, or A = V diag(f), B = V for a spectral function):
 * only the upper triangle is computed, c_ij = Σ_k a_ik b_jk (rows of A against rows of B, both
 * contiguous), in 2×2 register blocks with two partial sums per entry, and mirrored, so C is
 * symmetric exactly. Half the multiply-adds of a full product. `out` must not alias `a` or `b`.
 */
export function symmetricProductABt(a: ArrayLike<number>, b: ArrayLike<number>, r: number, s: number, out: Float64Array): Float64Array {
  let i = 0;
  for (; i + 1 < r; i += 2) {
    const a0 = i * s;
    const a1 = a0 + s;
    // diagonal 2×2 block: (i, i), (i, i+1), (i+1, i+1)
    {
      const b0 = a0;
      const b1 = a1;
      let s00 = 0, s01 = 0, s11 = 0;
      for (let k = 0; k < s; k++) {
        const x0 = a[a0 + k];
        const x1 = a[a1 + k];
        const y0 = b[b0 + k];
        const y1 = b[b1 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s11 += x1 * y1;
      }
      out[i * r + i] = s00;
      out[i * r + i + 1] = s01;
      out[(i + 1) * r + i] = s01;
      out[(i + 1) * r + i + 1] = s11;
    }
    let j = i + 2;
    for (; j + 1 < r; j += 2) {
      const b0 = j * s;
      const b1 = b0 + s;
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let k = 0; k < s; k++) {
        const x0 = a[a0 + k];
        const x1 = a[a1 + k];
        const y0 = b[b0 + k];
        const y1 = b[b1 + k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      out[i * r + j] = s00;
      out[j * r + i] = s00;
      out[i * r + j + 1] = s01;
      out[(j + 1) * r + i] = s01;
      out[(i + 1) * r + j] = s10;
      out[j * r + i + 1] = s10;
      out[(i + 1) * r + j + 1] = s11;
      out[(j + 1) * r + i + 1] = s11;
    }
    if (j < r) {
      const b0 = j * s;
      let s0 = 0, s1 = 0;
      for (let k = 0; k < s; k++) {
        const y = b[b0 + k];
        s0 += a[a0 + k] * y;
        s1 += a[a1 + k] * y;
      }
      out[i * r + j] = s0;
      out[j * r + i] = s0;
      out[(i + 1) * r + j] = s1;
      out[j * r + i + 1] = s1;
    }
  }
  if (i < r) {
    const a0 = i * s;
    let s0 = 0;
    for (let k = 0; k < s; k++) s0 += a[a0 + k] * b[a0 + k];
    out[i * r + i] = s0;
  }
  return out;
}

/**
 * A random d×d orthogonal matrix (row-major), seeded: Gram–Schmidt on the columns of a matrix of
 * standard normals, run twice so that ‖QᵀQ − I‖ stays at rounding level.
 */
export function randomOrthogonal(d: number, seed = 0): Float64Array {
  if (!Number.isInteger(d) || d < 1) throw new InvalidParameterError('d', `must be a positive integer, got ${String(d)}`);
  const q = new Rng(seed).normals(d * d);
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < d; c++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let r = 0; r < d; r++) dot += q[r * d + c] * q[r * d + p];
        for (let r = 0; r < d; r++) q[r * d + c] -= dot * q[r * d + p];
      }
      let nrm = 0;
      for (let r = 0; r < d; r++) nrm += q[r * d + c] ** 2;
      nrm = Math.sqrt(nrm);
      for (let r = 0; r < d; r++) q[r * d + c] /= nrm;
    }
  }
  return q;
}
