import { DimensionMismatchError } from '../core/errors.js';
import { NeumaierSum } from '../core/sum.js';
import { Tensor } from './tensor.js';

/** Σ of all elements (1×1), compensated (Neumaier). Gradient: ones. */
export function sum(a: Tensor): Tensor {
  const acc = new NeumaierSum();
  for (let i = 0; i < a.size; i++) acc.add(a.data[i]);
  const out = new Float64Array([acc.value]);
  if (!a.requiresGrad) return new Tensor(out, 1, 1);
  const c: Tensor = new Tensor(out, 1, 1, true, [a], () => {
    const g = (c.grad as Float64Array)[0];
    const ga = a.gradBuffer();
    for (let i = 0; i < ga.length; i++) ga[i] += g;
  });
  return c;
}

/** Mean of all elements (1×1), compensated. Gradient: 1/size. */
export function mean(a: Tensor): Tensor {
  const acc = new NeumaierSum();
  for (let i = 0; i < a.size; i++) acc.add(a.data[i]);
  const n = a.size;
  const out = new Float64Array([acc.value / n]);
  if (!a.requiresGrad) return new Tensor(out, 1, 1);
  const c: Tensor = new Tensor(out, 1, 1, true, [a], () => {
    const g = (c.grad as Float64Array)[0] / n;
    const ga = a.gradBuffer();
    for (let i = 0; i < ga.length; i++) ga[i] += g;
  });
  return c;
}

/** Row sums, n×1 (e.g. squared norms per sample after `square`). */
export function sumRows(a: Tensor): Tensor {
  const n = a.rows, m = a.cols;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += a.data[i * m + j];
    out[i] = s;
  }
  if (!a.requiresGrad) return new Tensor(out, n, 1);
  const c: Tensor = new Tensor(out, n, 1, true, [a], () => {
    const g = c.grad as Float64Array;
    const ga = a.gradBuffer();
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) ga[i * m + j] += g[i];
  });
  return c;
}

/** Max-shifted log Σ_k exp(v[k·stride + off]) over `len` entries, with the softmax weights written to w. */
function lseStrided(v: Float64Array, off: number, stride: number, len: number, w: Float64Array | null): number {
  let mx = -Infinity;
  for (let k = 0; k < len; k++) { const x = v[off + k * stride]; if (x > mx) mx = x; }
  if (mx === -Infinity || mx === Infinity) return mx;
  let s = 0;
  for (let k = 0; k < len; k++) s += Math.exp(v[off + k * stride] - mx);
  const r = mx + Math.log(s);
  if (w) for (let k = 0; k < len; k++) w[off + k * stride] = Math.exp(v[off + k * stride] - r);
  return r;
}

/**
 * Row-wise log-sum-exp, n×1: out[i] = log Σ_j exp(A[i,j]), max-shifted. Gradient: the row softmax,
 * ∂out[i]/∂A[i,j] = exp(A[i,j] − out[i]). InfoNCE's denominator.
 */
export function logSumExpRows(a: Tensor): Tensor {
  const n = a.rows, m = a.cols;
  const out = new Float64Array(n);
  const w = a.requiresGrad ? new Float64Array(n * m) : null;
  for (let i = 0; i < n; i++) out[i] = lseStrided(a.data, i * m, 1, m, w);
  if (!a.requiresGrad) return new Tensor(out, n, 1);
  const c: Tensor = new Tensor(out, n, 1, true, [a], () => {
    const g = c.grad as Float64Array;
    const ga = a.gradBuffer();
    const ww = w as Float64Array;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) ga[i * m + j] += g[i] * ww[i * m + j];
  });
  return c;
}

/** Column-wise log-sum-exp, 1×m: out[j] = log Σ_i exp(A[i,j]). Gradient: the column softmax. */
export function logSumExpCols(a: Tensor): Tensor {
  const n = a.rows, m = a.cols;
  const out = new Float64Array(m);
  const w = a.requiresGrad ? new Float64Array(n * m) : null;
  for (let j = 0; j < m; j++) out[j] = lseStrided(a.data, j, m, n, w);
  if (!a.requiresGrad) return new Tensor(out, 1, m);
  const c: Tensor = new Tensor(out, 1, m, true, [a], () => {
    const g = c.grad as Float64Array;
    const ga = a.gradBuffer();
    const ww = w as Float64Array;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) ga[i * m + j] += g[j] * ww[i * m + j];
  });
  return c;
}

/** log Σ over all elements of exp(A), 1×1 (entries −∞ contribute 0). Gradient: the softmax of A. */
export function logSumExp(a: Tensor): Tensor {
  const w = a.requiresGrad ? new Float64Array(a.size) : null;
  const out = new Float64Array([lseStrided(a.data, 0, 1, a.size, w)]);
  if (!a.requiresGrad) return new Tensor(out, 1, 1);
  const c: Tensor = new Tensor(out, 1, 1, true, [a], () => {
    const g = (c.grad as Float64Array)[0];
    const ga = a.gradBuffer();
    const ww = w as Float64Array;
    for (let i = 0; i < ga.length; i++) ga[i] += g * ww[i];
  });
  return c;
}

/** The diagonal of a square matrix as n×1 (the joint pairs of a critic score matrix). */
export function diag(a: Tensor): Tensor {
  if (a.rows !== a.cols) throw new DimensionMismatchError('a', `diag needs a square matrix, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a.data[i * n + i];
  if (!a.requiresGrad) return new Tensor(out, n, 1);
  const c: Tensor = new Tensor(out, n, 1, true, [a], () => {
    const g = c.grad as Float64Array;
    const ga = a.gradBuffer();
    for (let i = 0; i < n; i++) ga[i * n + i] += g[i];
  });
  return c;
}

/**
 * A copy of a square matrix with its diagonal set to `value` (gradient 0 there, 1 elsewhere).
 * With value −∞, `logSumExp(fillDiagonal(S, −∞))` sums over the off-diagonal (product-of-
 * marginals) pairs only.
 */
export function fillDiagonal(a: Tensor, value: number): Tensor {
  if (a.rows !== a.cols) throw new DimensionMismatchError('a', `fillDiagonal needs a square matrix, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const out = Float64Array.from(a.data);
  for (let i = 0; i < n; i++) out[i * n + i] = value;
  if (!a.requiresGrad) return new Tensor(out, n, n);
  const c: Tensor = new Tensor(out, n, n, true, [a], () => {
    const g = c.grad as Float64Array;
    const ga = a.gradBuffer();
    for (let i = 0; i < g.length; i++) if (i % (n + 1) !== 0) ga[i] += g[i];
  });
  return c;
}
