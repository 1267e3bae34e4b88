import { Rng } from '../../kernel-lib/core/rng.js';
import type { Matrix } from '../../kernel-lib/core/matrix.js';

/** n×d standard normal matrix from a seed. */
export function normals(n: number, d: number, seed: number): Matrix {
  return { data: new Rng(seed).normals(n * d), rows: n, cols: d };
}

/** Applies x ↦ A x + b to every row (A is d×d row-major). */
export function affine(m: Matrix, A: ArrayLike<number>, b: ArrayLike<number>): Matrix {
  const d = m.cols;
  const out = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) {
    for (let r = 0; r < d; r++) {
      let s = b[r];
      for (let c = 0; c < d; c++) s += A[r * d + c] * m.data[i * d + c];
      out[i * d + r] = s;
    }
  }
  return { data: out, rows: m.rows, cols: d };
}

/** Rows of m in the order of a seeded random permutation. */
export function permuteRows(m: Matrix, seed: number): Matrix {
  const p = new Rng(seed).permutation(m.rows);
  const out = new Float64Array(m.data.length);
  for (let i = 0; i < m.rows; i++) out.set(m.data.subarray(p[i] * m.cols, (p[i] + 1) * m.cols), i * m.cols);
  return { data: out, rows: m.rows, cols: m.cols };
}

/** Columns [c0, c1) of m. */
export function columns(m: Matrix, c0: number, c1: number): Matrix {
  const w = c1 - c0;
  const out = new Float64Array(m.rows * w);
  for (let i = 0; i < m.rows; i++) for (let c = 0; c < w; c++) out[i * w + c] = m.data[i * m.cols + c0 + c];
  return { data: out, rows: m.rows, cols: w };
}
