import { DimensionMismatchError } from '../core/errors.js';
import { gemmNN, gemmNT, gemmTN } from './gemm.js';
import { Tensor } from './tensor.js';

/**
 * Matrix product C = A·B (A n×k, B k×m). Gradients: ∂L/∂A = ∂L/∂C · Bᵀ, ∂L/∂B = Aᵀ · ∂L/∂C.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.cols !== b.rows) throw new DimensionMismatchError('b', `matmul of ${a.rows}×${a.cols} by ${b.rows}×${b.cols}: inner dimensions differ`);
  const n = a.rows, k = a.cols, m = b.cols;
  const out = new Float64Array(n * m);
  gemmNN(a.data, b.data, out, n, k, m);
  if (!a.requiresGrad && !b.requiresGrad) return new Tensor(out, n, m);
  const c: Tensor = new Tensor(out, n, m, true, [a, b], () => {
    const g = c.grad as Float64Array;
    if (a.requiresGrad) gemmNT(g, b.data, a.gradBuffer(), n, m, k, true);
    if (b.requiresGrad) gemmTN(a.data, g, b.gradBuffer(), k, n, m, true);
  });
  return c;
}

/**
 * C = A·Bᵀ (A n×k, B m×k): all pairwise inner products of the rows of A with the rows of B, the
 * separable critic's score matrix S[i][j] = f(x_i)·g(y_j). Gradients: ∂L/∂A = G·B, ∂L/∂B = Gᵀ·A.
 */
export function matmulNT(a: Tensor, b: Tensor): Tensor {
  if (a.cols !== b.cols) throw new DimensionMismatchError('b', `matmulNT of ${a.rows}×${a.cols} by (${b.rows}×${b.cols})ᵀ: inner dimensions differ`);
  const n = a.rows, k = a.cols, m = b.rows;
  const out = new Float64Array(n * m);
  gemmNT(a.data, b.data, out, n, k, m);
  if (!a.requiresGrad && !b.requiresGrad) return new Tensor(out, n, m);
  const c: Tensor = new Tensor(out, n, m, true, [a, b], () => {
    const g = c.grad as Float64Array;
    if (a.requiresGrad) gemmNN(g, b.data, a.gradBuffer(), n, m, k, true);
    if (b.requiresGrad) gemmTN(g, a.data, b.gradBuffer(), m, n, k, true);
  });
  return c;
}

/** Row broadcast A + b (A n×m, b 1×m): the bias of a dense layer. ∂L/∂b = column sums of ∂L/∂C. */
export function addBias(a: Tensor, b: Tensor): Tensor {
  if (b.rows !== 1 || b.cols !== a.cols) throw new DimensionMismatchError('b', `bias must be 1×${a.cols}, got ${b.rows}×${b.cols}`);
  const n = a.rows, m = a.cols;
  const out = new Float64Array(n * m);
  const ad = a.data, bd = b.data;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let j = 0; j < m; j++) out[o + j] = ad[o + j] + bd[j];
  }
  if (!a.requiresGrad && !b.requiresGrad) return new Tensor(out, n, m);
  const c: Tensor = new Tensor(out, n, m, true, [a, b], () => {
    const g = c.grad as Float64Array;
    if (a.requiresGrad) {
      const ga = a.gradBuffer();
      for (let i = 0; i < g.length; i++) ga[i] += g[i];
    }
    if (b.requiresGrad) {
      const gb = b.gradBuffer();
      for (let i = 0; i < n; i++) {
        const o = i * m;
        for (let j = 0; j < m; j++) gb[j] += g[o + j];
      }
    }
  });
  return c;
}

/** Dense layer x·W + b (W in×out, b 1×out) with the bias added in the same pass. */
export function linear(x: Tensor, w: Tensor, b: Tensor): Tensor {
  return dense(x, w, b, false);
}

/**
 * One graph node for a dense layer, act(x·W + b) with act = ReLU (`relu` true) or the identity:
 * the values and gradients of relu(addBias(matmul(x, W), b)) (resp. addBias(matmul(x, W), b)),
 * bit for bit, with one output buffer instead of three and one gradient buffer instead of three
 * (the large typed-array allocations, not the arithmetic, dominated these elementwise steps).
 * Backward: G_z = G ⊙ [z > 0] (z > 0 ⇔ relu(z) > 0, so the output itself is the mask),
 * ∂L/∂b = column sums of G_z, ∂L/∂x = G_z·Wᵀ, ∂L/∂W = xᵀ·G_z. @internal
 */
export function dense(x: Tensor, w: Tensor, b: Tensor, relu: boolean): Tensor {
  if (x.cols !== w.rows) throw new DimensionMismatchError('b', `matmul of ${x.rows}×${x.cols} by ${w.rows}×${w.cols}: inner dimensions differ`);
  if (b.rows !== 1 || b.cols !== w.cols) throw new DimensionMismatchError('b', `bias must be 1×${w.cols}, got ${b.rows}×${b.cols}`);
  const n = x.rows, k = x.cols, m = w.cols;
  const out = new Float64Array(n * m);
  gemmNN(x.data, w.data, out, n, k, m);
  const bd = b.data;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    if (relu) {
      for (let j = 0; j < m; j++) {
        const z = out[o + j] + bd[j];
        // = (z > 0 ? z : 0) without a data-dependent branch (as relu in activations.ts)
        const y = z * +(z > 0) + 0;
        out[o + j] = y === y ? y : (z > 0 ? z : 0);
      }
    } else {
      for (let j = 0; j < m; j++) out[o + j] += bd[j];
    }
  }
  if (!x.requiresGrad && !w.requiresGrad && !b.requiresGrad) return new Tensor(out, n, m);
  const c: Tensor = new Tensor(out, n, m, true, [x, w, b], () => {
    const g = c.grad as Float64Array;
    // `0 + g` as the unfused ops' accumulation into zeroed buffers (it turns −0 into +0)
    const gz = new Float64Array(n * m);
    if (relu) {
      for (let i = 0; i < gz.length; i++) {
        // = (out > 0 ? g + 0 : 0), branch-free unless g is not finite
        const v = g[i] * +(out[i] > 0) + 0;
        gz[i] = v === v ? v : (out[i] > 0 ? g[i] + 0 : 0);
      }
    } else {
      for (let i = 0; i < gz.length; i++) gz[i] = g[i] + 0;
    }
    if (b.requiresGrad) {
      // the unfused addBias summed the gradient of its own output: G_z after a ReLU, G without one
      const gs = relu ? gz : g;
      const gb = b.gradBuffer();
      for (let i = 0; i < n; i++) {
        const o = i * m;
        for (let j = 0; j < m; j++) gb[j] += gs[o + j];
      }
    }
    if (x.requiresGrad) gemmNT(gz, w.data, x.gradBuffer(), n, m, k, true);
    if (w.requiresGrad) gemmTN(x.data, gz, w.gradBuffer(), k, n, m, true);
  });
  return c;
}

/** Column-wise concatenation [A, B] (same number of rows), e.g. [x, y] or [x, t]. */
export function concatCols(a: Tensor, b: Tensor): Tensor {
  if (a.rows !== b.rows) throw new DimensionMismatchError('b', `has ${b.rows} rows but a has ${a.rows}; concatCols needs equal row counts`);
  const n = a.rows, p = a.cols, q = b.cols, m = p + q;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    out.set(a.data.subarray(i * p, (i + 1) * p), i * m);
    out.set(b.data.subarray(i * q, (i + 1) * q), i * m + p);
  }
  if (!a.requiresGrad && !b.requiresGrad) return new Tensor(out, n, m);
  const c: Tensor = new Tensor(out, n, m, true, [a, b], () => {
    const g = c.grad as Float64Array;
    if (a.requiresGrad) {
      const ga = a.gradBuffer();
      for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) ga[i * p + j] += g[i * m + j];
    }
    if (b.requiresGrad) {
      const gb = b.gradBuffer();
      for (let i = 0; i < n; i++) for (let j = 0; j < q; j++) gb[i * q + j] += g[i * m + p + j];
    }
  });
  return c;
}

/** Matrix transpose. */
export function transpose(a: Tensor): Tensor {
  const n = a.rows, m = a.cols;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = a.data[i * m + j];
  if (!a.requiresGrad) return new Tensor(out, m, n);
  const c: Tensor = new Tensor(out, m, n, true, [a], () => {
    const g = c.grad as Float64Array;
    const ga = a.gradBuffer();
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) ga[i * m + j] += g[j * n + i];
  });
  return c;
}

/**
 * All pairwise row sums: row i·m + j of the (n·m)×h result is A[i,:] + B[j,:] (A n×h, B m×h).
 * The first layer of a concatenated critic T([x_i, y_j]) over every pair, computed as
 * x_i·W_x + y_j·W_y without forming the n·m concatenated inputs.
 */
export function pairSum(a: Tensor, b: Tensor): Tensor {
  if (a.cols !== b.cols) throw new DimensionMismatchError('b', `has ${b.cols} columns but a has ${a.cols}`);
  const n = a.rows, m = b.rows, h = a.cols;
  const out = new Float64Array(n * m * h);
  const ad = a.data, bd = b.data;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const o = (i * m + j) * h;
      for (let c = 0; c < h; c++) out[o + c] = ad[i * h + c] + bd[j * h + c];
    }
  }
  if (!a.requiresGrad && !b.requiresGrad) return new Tensor(out, n * m, h);
  const c: Tensor = new Tensor(out, n * m, h, true, [a, b], () => {
    const g = c.grad as Float64Array;
    const ga = a.requiresGrad ? a.gradBuffer() : null;
    const gb = b.requiresGrad ? b.gradBuffer() : null;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const o = (i * m + j) * h;
        if (ga) for (let k = 0; k < h; k++) ga[i * h + k] += g[o + k];
        if (gb) for (let k = 0; k < h; k++) gb[j * h + k] += g[o + k];
      }
    }
  });
  return c;
}

/** Reshape to rows × cols (same number of elements, row-major order kept). */
export function reshape(a: Tensor, rows: number, cols: number): Tensor {
  if (rows * cols !== a.size) throw new DimensionMismatchError('shape', `cannot reshape ${a.rows}×${a.cols} to ${rows}×${cols}`);
  if (!a.requiresGrad) return new Tensor(a.data, rows, cols);
  const c: Tensor = new Tensor(a.data, rows, cols, true, [a], () => {
    const g = c.grad as Float64Array;
    const ga = a.gradBuffer();
    for (let i = 0; i < g.length; i++) ga[i] += g[i];
  });
  return c;
}
