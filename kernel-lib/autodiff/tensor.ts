import { InvalidParameterError, NonFiniteError, ShapeError, DimensionMismatchError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';

/**
 * A node of the reverse-mode differentiation graph: a dense row-major float64 matrix (`rows` ×
 * `cols`; scalars are 1×1, vectors are 1×m or n×1) together with how it was computed.
 *
 * The graph is built eagerly ("define by run"): every op computes its value at once and, when an
 * input requires a gradient, records a closure that adds the op's vector–Jacobian product to its
 * inputs' `grad`. {@link backward} walks the graph from the output in reverse topological order
 * (Griewank & Walther 2008, *Evaluating Derivatives*, §3.2, the reverse mode). Gradients of leaves
 * ({@link parameter}) accumulate across calls until an optimiser's `zeroGrad()`, as in PyTorch.
 */
export class Tensor {
  /** Values, row-major, length rows·cols. */
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** ∂(output)/∂(this) after {@link backward}; always allocated for parameters, lazily otherwise. */
  grad: Float64Array | null;
  /** Whether gradients flow to this tensor (parameters, and anything computed from one). */
  readonly requiresGrad: boolean;
  /** Inputs of the op that produced this tensor (empty for leaves). @internal */
  readonly parents: readonly Tensor[];
  /** Adds this op's vector–Jacobian product to the parents' gradients. @internal */
  readonly backwardFn: (() => void) | null;

  constructor(data: Float64Array, rows: number, cols: number, requiresGrad = false,
    parents: readonly Tensor[] = [], backwardFn: (() => void) | null = null) {
    if (data.length !== rows * cols) {
      throw new ShapeError('data', `has length ${data.length} but rows·cols = ${rows}·${cols} = ${rows * cols}`);
    }
    this.data = data;
    this.rows = rows;
    this.cols = cols;
    this.requiresGrad = requiresGrad;
    this.grad = null;
    this.parents = parents;
    this.backwardFn = backwardFn;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** The value of a 1×1 tensor. */
  item(): number {
    if (this.data.length !== 1) throw new ShapeError('tensor', `item() needs a 1×1 tensor, this one is ${this.rows}×${this.cols}`);
    return this.data[0];
  }

  /** The gradient buffer, allocated (zeros) on first use. @internal */
  gradBuffer(): Float64Array {
    if (this.grad === null) this.grad = new Float64Array(this.data.length);
    return this.grad;
  }

  /** Values as number[][] (for display). */
  toRows(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }

  /** Values as a divlab {@link Matrix} (shares the buffer). */
  toMatrix(): Matrix {
    return { data: this.data, rows: this.rows, cols: this.cols };
  }
}

/**
 * A tensor that does not require a gradient (data, targets). Accepts a Float64Array with its shape,
 * number[][] (rows), or a divlab Matrix; the values are used as given (not copied) when already a
 * Float64Array, and must be finite.
 */
export function constant(data: Float64Array | readonly (readonly number[])[] | Matrix, rows?: number, cols?: number): Tensor {
  if (data instanceof Float64Array) {
    const r = rows ?? data.length;
    const c = cols ?? 1;
    return new Tensor(checkFinite(data, 'data'), r, c);
  }
  if (Array.isArray(data)) {
    const rowsArr = data as readonly (readonly number[])[];
    const r = rowsArr.length;
    if (r === 0) throw new ShapeError('data', 'no rows');
    const c = rowsArr[0].length;
    const out = new Float64Array(r * c);
    for (let i = 0; i < r; i++) {
      if (rowsArr[i].length !== c) throw new ShapeError('data', `ragged rows: row ${i} has ${rowsArr[i].length} values, row 0 has ${c}`);
      for (let j = 0; j < c; j++) out[i * c + j] = rowsArr[i][j];
    }
    return new Tensor(checkFinite(out, 'data'), r, c);
  }
  const m = data as Matrix;
  return new Tensor(checkFinite(m.data, 'data'), m.rows, m.cols);
}

/** A trainable leaf: gradients accumulate into its `grad` (allocated, zeros). */
export function parameter(data: Float64Array, rows: number, cols: number): Tensor {
  const t = new Tensor(checkFinite(data, 'data'), rows, cols, true);
  t.grad = new Float64Array(data.length);
  return t;
}

/** A 1×1 constant. */
export function scalar(v: number): Tensor {
  return constant(new Float64Array([v]), 1, 1);
}

function checkFinite(a: Float64Array, name: string): Float64Array {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new NonFiniteError(name, `non-finite value ${a[i]} at index ${i}`);
  }
  return a;
}

/**
 * Reverse pass: sets ∂output/∂output = `seed` (default 1 for a 1×1 output; required otherwise,
 * same shape as `output`) and propagates to every tensor that requires a gradient. Leaf gradients
 * accumulate (call an optimiser's `zeroGrad()` between steps); intermediate gradients are reset.
 */
export function backward(output: Tensor, seed?: Float64Array | readonly number[]): void {
  if (seed === undefined && output.size !== 1) {
    throw new InvalidParameterError('seed', `backward() of a ${output.rows}×${output.cols} tensor needs a seed gradient of the same shape (or reduce it to a scalar first)`);
  }
  if (seed !== undefined && seed.length !== output.size) {
    throw new DimensionMismatchError('seed', `has ${seed.length} values but the output has ${output.size}`);
  }
  if (!output.requiresGrad) {
    throw new InvalidParameterError('output', 'does not depend on any parameter; nothing to differentiate');
  }
  // Iterative DFS for a reverse topological order (deep networks must not overflow the stack).
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [[output, 0]];
  seen.add(output);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, k] = top;
    if (k < t.parents.length) {
      top[1] = k + 1;
      const p = t.parents[k];
      if (p.requiresGrad && !seen.has(p)) {
        seen.add(p);
        stack.push([p, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  for (const t of order) if (t.backwardFn !== null) t.grad = new Float64Array(t.size);
  const g = output.gradBuffer();
  if (seed === undefined) g[0] += 1;
  else for (let i = 0; i < g.length; i++) g[i] += seed[i];
  for (let i = order.length - 1; i >= 0; i--) {
    const t = order[i];
    if (t.backwardFn !== null) t.backwardFn();
  }
}
