import { DimensionMismatchError, InvalidParameterError } from '../core/errors.js';
import { Tensor } from './tensor.js';

function sameShape(a: Tensor, b: Tensor, op: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new DimensionMismatchError('b', `${op} needs equal shapes, got ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`);
  }
}

/**
 * Elementwise map y = f(x) with derivative dy/dx = df(x, y) (given the input and output values).
 * @internal
 */
export function unary(a: Tensor, f: (x: number) => number, df: (x: number, y: number) => number): Tensor {
  const n = a.size;
  const out = new Float64Array(n);
  const ad = a.data;
  for (let i = 0; i < n; i++) out[i] = f(ad[i]);
  if (!a.requiresGrad) return new Tensor(out, a.rows, a.cols);
  const c: Tensor = new Tensor(out, a.rows, a.cols, true, [a], () => {
    const g = c.grad as Float64Array;
    const ga = a.gradBuffer();
    for (let i = 0; i < n; i++) ga[i] += g[i] * df(ad[i], out[i]);
  });
  return c;
}

/** A + B (same shape). */
export function add(a: Tensor, b: Tensor): Tensor {
  sameShape(a, b, 'add');
  const n = a.size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a.data[i] + b.data[i];
  if (!a.requiresGrad && !b.requiresGrad) return new Tensor(out, a.rows, a.cols);
  const c: Tensor = new Tensor(out, a.rows, a.cols, true, [a, b], () => {
    const g = c.grad as Float64Array;
    if (a.requiresGrad) { const ga = a.gradBuffer(); for (let i = 0; i < n; i++) ga[i] += g[i]; }
    if (b.requiresGrad) { const gb = b.gradBuffer(); for (let i = 0; i < n; i++) gb[i] += g[i]; }
  });
  return c;
}

/** A − B (same shape). */
export function sub(a: Tensor, b: Tensor): Tensor {
  sameShape(a, b, 'sub');
  const n = a.size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a.data[i] - b.data[i];
  if (!a.requiresGrad && !b.requiresGrad) return new Tensor(out, a.rows, a.cols);
  const c: Tensor = new Tensor(out, a.rows, a.cols, true, [a, b], () => {
    const g = c.grad as Float64Array;
    if (a.requiresGrad) { const ga = a.gradBuffer(); for (let i = 0; i < n; i++) ga[i] += g[i]; }
    if (b.requiresGrad) { const gb = b.gradBuffer(); for (let i = 0; i < n; i++) gb[i] -= g[i]; }
  });
  return c;
}

/** A ⊙ B, the elementwise (Hadamard) product (same shape). */
export function mul(a: Tensor, b: Tensor): Tensor {
  sameShape(a, b, 'mul');
  const n = a.size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a.data[i] * b.data[i];
  if (!a.requiresGrad && !b.requiresGrad) return new Tensor(out, a.rows, a.cols);
  const c: Tensor = new Tensor(out, a.rows, a.cols, true, [a, b], () => {
    const g = c.grad as Float64Array;
    if (a.requiresGrad) { const ga = a.gradBuffer(); for (let i = 0; i < n; i++) ga[i] += g[i] * b.data[i]; }
    if (b.requiresGrad) { const gb = b.gradBuffer(); for (let i = 0; i < n; i++) gb[i] += g[i] * a.data[i]; }
  });
  return c;
}

/**
 * Row-wise scaling C[i,j] = A[i,j]·v[i] (A n×m, v n×1): per-sample weights, e.g. σ_t or β(t)/2.
 */
export function mulColumn(a: Tensor, v: Tensor): Tensor {
  if (v.size !== a.rows) throw new DimensionMismatchError('v', `needs ${a.rows} values (one per row of a), got ${v.size}`);
  const n = a.rows, m = a.cols;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = a.data[i * m + j] * v.data[i];
  if (!a.requiresGrad && !v.requiresGrad) return new Tensor(out, n, m);
  const c: Tensor = new Tensor(out, n, m, true, [a, v], () => {
    const g = c.grad as Float64Array;
    const ga = a.requiresGrad ? a.gradBuffer() : null;
    const gv = v.requiresGrad ? v.gradBuffer() : null;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const o = i * m + j;
        if (ga) ga[o] += g[o] * v.data[i];
        if (gv) gv[i] += g[o] * a.data[o];
      }
    }
  });
  return c;
}

/** c·A for a number c. */
export function scale(a: Tensor, k: number): Tensor {
  return unary(a, (x) => k * x, () => k);
}

/** A + c for a number c. */
export function addScalar(a: Tensor, k: number): Tensor {
  return unary(a, (x) => x + k, () => 1);
}

/** −A. */
export function neg(a: Tensor): Tensor {
  return unary(a, (x) => -x, () => -1);
}

/** e^A elementwise. */
export function exp(a: Tensor): Tensor {
  return unary(a, Math.exp, (_x, y) => y);
}

/** log A elementwise (A > 0). */
export function log(a: Tensor): Tensor {
  for (let i = 0; i < a.size; i++) {
    if (!(a.data[i] > 0)) throw new InvalidParameterError('a', `log of a non-positive value ${a.data[i]} at index ${i}`);
  }
  return unary(a, Math.log, (x) => 1 / x);
}

/** A² elementwise. */
export function square(a: Tensor): Tensor {
  return unary(a, (x) => x * x, (x) => 2 * x);
}

/**
 * Clipping to [lo, hi] elementwise. The gradient is 1 strictly inside and 0 outside (at a bound
 * it is taken as 1, the convention of PyTorch's `clamp`).
 */
export function clip(a: Tensor, lo: number, hi: number): Tensor {
  if (!(lo <= hi)) throw new InvalidParameterError('lo', `must be ≤ hi, got lo = ${lo}, hi = ${hi}`);
  return unary(a, (x) => (x < lo ? lo : x > hi ? hi : x), (x) => (x < lo || x > hi ? 0 : 1));
}
