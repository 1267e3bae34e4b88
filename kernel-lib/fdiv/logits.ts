/**
 * The shared machinery of the divergences between categorical distributions given by logits:
 * validation, a numerically stable log-softmax per row, the chain rule through the softmax, and the
 * reduction over rows.
 *
 * Every divergence D(P‖Q) here is computed row by row from the log-probabilities
 *   log p_k = a_k/T − log Σ_j exp(a_j/T),   log q_k = b_k/T − log Σ_j exp(b_j/T)
 * (max-shifted log-sum-exp; T the temperature). A divergence is written as a *row kernel* that
 * returns the row's value and its partial derivatives with respect to the log-probabilities,
 *   u_k = ∂D/∂log p_k = p_k ∂D/∂p_k,   v_k = ∂D/∂log q_k = q_k ∂D/∂q_k,
 * which stay finite where p_k or q_k is 0 (−∞ logits). The softmax Jacobian ∂p_k/∂a_j = p_k(δ_kj − p_j)/T
 * then gives the logit gradients
 *   ∂D/∂a_j = (u_j − p_j Σ_k u_k)/T,   ∂D/∂b_j = (v_j − q_j Σ_k v_k)/T.
 *
 * Logits may be −∞ (a class of probability 0); NaN and +∞ are rejected with a typed error naming the
 * argument, row and column. A row whose divergence is +∞ (Q puts zero mass where P has mass, for
 * KL-like divergences) yields `value: Infinity` with `grad: false` and an {@link EstimationError}
 * when gradients are asked for (there is none).
 */
import { DimensionMismatchError, EstimationError, InvalidParameterError, NonFiniteError, ShapeError } from '../core/errors.js';
import type { Matrix } from '../core/matrix.js';
import { NeumaierSum } from '../core/sum.js';

/**
 * Logits of a batch of categorical distributions, rows × classes: `number[][]` (one row per
 * distribution), a flat `number[]`/`Float64Array`/`Float32Array` (ONE distribution over its
 * entries), `{ data, shape: [rows, classes] }` (Float32Array data is read in place, without a
 * float64 copy) or a {@link Matrix}.
 */
export type Logits =
  | readonly (readonly number[])[]
  | readonly number[]
  | Float64Array
  | Float32Array
  | { readonly data: Float64Array | Float32Array | ArrayLike<number>; readonly shape: readonly [number, number] }
  | Matrix;

/** Options shared by every logit divergence. */
export interface LogitOptions {
  /** Softmax temperature T > 0 applied to both logit arrays: p = softmax(a/T). Default 1. */
  readonly temperature?: number;
  /** How rows combine into `value`: their mean (default, "batchmean") or their sum. */
  readonly reduction?: 'mean' | 'sum';
  /** Compute the gradients (default true). */
  readonly grad?: boolean;
}

/** The result of a logit divergence. Values in nats. */
export interface LogitDivergence {
  /** The reduced divergence (mean or sum of `rows`). */
  readonly value: number;
  /** The divergence of each row. */
  readonly rows: Float64Array;
  /**
   * ∂value/∂a, ∂value/∂b (rows × classes, row-major, the reduction and temperature included);
   * Float32Array when both inputs are Float32Array (computed in float64), else Float64Array;
   * null with `grad: false`.
   */
  readonly gradP: Float64Array | Float32Array | null;
  readonly gradQ: Float64Array | Float32Array | null;
  /** Which divergence, e.g. `kl`, `renyi`. */
  readonly divergence: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly shape: readonly [number, number];
  readonly unit: 'nat';
}

/** A validated batch of logits (data read in place when it already is a typed array). */
export interface LogitBatch {
  readonly data: Float64Array | Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * The per-row work of a divergence. Reads log-probabilities `lp`, `lq` (−∞ allowed) and
 * probabilities `p`, `q` (length n); when `u`/`v` are given, writes ∂D/∂log p_k and ∂D/∂log q_k.
 * Returns the row's divergence (possibly +∞, never NaN).
 */
export type RowKernel = (
  lp: Float64Array, lq: Float64Array, p: Float64Array, q: Float64Array,
  u: Float64Array | null, v: Float64Array | null, n: number,
) => number;

/** Parses logits (see {@link Logits}); −∞ allowed, NaN/+∞ rejected later, row by row. */
export function toLogits(x: Logits, name: string): LogitBatch {
  if (x === null || x === undefined) throw new ShapeError(name, 'expected logits (number[][], number[] or {data, shape}), got ' + String(x));
  let out: LogitBatch;
  if (x instanceof Float64Array || x instanceof Float32Array) {
    out = { data: x, rows: 1, cols: x.length };
  } else if (Array.isArray(x)) {
    if (x.length === 0) throw new ShapeError(name, 'no logits (empty array)');
    if (Array.isArray(x[0]) || ArrayBuffer.isView(x[0])) {
      const rowsArr = x as readonly (readonly number[])[];
      const rows = rowsArr.length;
      const cols = rowsArr[0].length;
      const data = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        const r = rowsArr[i];
        if (!(Array.isArray(r) || ArrayBuffer.isView(r))) throw new ShapeError(name, `row ${i} is not an array (mixed 1-D and 2-D input)`);
        if (r.length !== cols) throw new ShapeError(name, `ragged rows: row ${i} has ${r.length} logits, row 0 has ${cols}`);
        for (let j = 0; j < cols; j++) data[i * cols + j] = typeof r[j] === 'number' ? r[j] : NaN;
      }
      out = { data, rows, cols };
    } else {
      const data = Float64Array.from(x as readonly number[], (v) => (typeof v === 'number' ? v : NaN));
      out = { data, rows: 1, cols: data.length };
    }
  } else if (typeof x === 'object' && 'shape' in x && 'data' in x) {
    const [rows, cols] = x.shape;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
      throw new ShapeError(name, `invalid shape [${String(rows)}, ${String(cols)}]; need rows ≥ 1 and classes ≥ 1`);
    }
    if (x.data.length !== rows * cols) throw new ShapeError(name, `data has length ${x.data.length} but shape [${rows}, ${cols}] needs ${rows * cols}`);
    const data = x.data instanceof Float64Array || x.data instanceof Float32Array ? x.data : Float64Array.from(x.data as ArrayLike<number>);
    out = { data, rows, cols };
  } else if (typeof x === 'object' && 'rows' in x && 'cols' in x && (x as Matrix).data instanceof Float64Array) {
    const m = x as Matrix;
    if (m.data.length !== m.rows * m.cols) throw new ShapeError(name, `data has length ${m.data.length} but rows*cols = ${m.rows * m.cols}`);
    out = { data: m.data, rows: m.rows, cols: m.cols };
  } else {
    throw new ShapeError(name, 'expected logits as number[][] (rows × classes), number[] (one distribution) or {data, shape: [rows, classes]}');
  }
  if (out.cols < 1 || out.rows < 1) throw new ShapeError(name, 'no classes (0 columns)');
  return out;
}

/** Throws unless `a` and `b` have the same shape. */
export function assertSameShape(a: LogitBatch, b: LogitBatch, nameA: string, nameB: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new DimensionMismatchError(nameB, `has shape [${b.rows}, ${b.cols}] but ${nameA} has shape [${a.rows}, ${a.cols}]; both need one row per distribution and the same classes`);
  }
}

/** Validates the temperature T > 0 (finite). */
export function checkTemperature(t: unknown): number {
  const T = t ?? 1;
  if (typeof T !== 'number' || !Number.isFinite(T) || T <= 0) {
    throw new InvalidParameterError('options.temperature', `must be a finite number > 0, got ${String(t)}`);
  }
  return T;
}

/**
 * Row `r` of `src` scaled by 1/T into `z`, then log-softmax into `lp` and softmax into `p`
 * (max-shifted: log p_k = z_k − max − log Σ exp(z_j − max)). Throws for NaN/+∞ logits and rows
 * without any finite logit.
 */
export function logSoftmaxRow(src: Float64Array | Float32Array, r: number, n: number, invT: number,
  lp: Float64Array, p: Float64Array, name: string): void {
  const off = r * n;
  let mx = -Infinity;
  for (let k = 0; k < n; k++) {
    const z = src[off + k] * invT;
    if (z !== z || z === Infinity) {
      throw new NonFiniteError(name, `logit ${src[off + k]} at row ${r}, column ${k}; logits must be finite or −∞ (probability 0)`);
    }
    lp[k] = z;
    if (z > mx) mx = z;
  }
  if (mx === -Infinity) {
    throw new NonFiniteError(name, `row ${r} has no finite logit (all −∞): a distribution needs at least one class with positive probability`);
  }
  let s = 0;
  for (let k = 0; k < n; k++) {
    const e = Math.exp(lp[k] - mx);
    p[k] = e;
    s += e;
  }
  const lse = mx + Math.log(s);
  const inv = 1 / s;
  for (let k = 0; k < n; k++) {
    lp[k] -= lse;
    p[k] *= inv;
  }
}

export interface RunSpec {
  readonly divergence: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly kernel: RowKernel;
}

/**
 * Runs a row kernel over a batch: validation, log-softmax, value per row, reduction, and the logit
 * gradients through the softmax Jacobian (see the module comment).
 */
export function runLogitDivergence(logitsP: Logits, logitsQ: Logits, options: LogitOptions, spec: RunSpec): LogitDivergence {
  const A = toLogits(logitsP, 'logitsP');
  const B = toLogits(logitsQ, 'logitsQ');
  assertSameShape(A, B, 'logitsP', 'logitsQ');
  const T = checkTemperature(options.temperature);
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum') {
    throw new InvalidParameterError('options.reduction', `must be 'mean' or 'sum', got ${String(options.reduction)}`);
  }
  const wantGrad = options.grad ?? true;
  const { rows, cols: n } = A;
  const f32 = A.data instanceof Float32Array && B.data instanceof Float32Array;
  const gradP = wantGrad ? (f32 ? new Float32Array(rows * n) : new Float64Array(rows * n)) : null;
  const gradQ = wantGrad ? (f32 ? new Float32Array(rows * n) : new Float64Array(rows * n)) : null;
  const lp = new Float64Array(n), lq = new Float64Array(n), p = new Float64Array(n), q = new Float64Array(n);
  const u = wantGrad ? new Float64Array(n) : null;
  const v = wantGrad ? new Float64Array(n) : null;
  const invT = 1 / T;
  const c = (reduction === 'mean' ? 1 / rows : 1) * invT;
  const out = new Float64Array(rows);
  const total = new NeumaierSum();
  let anyInf = false;
  for (let r = 0; r < rows; r++) {
    logSoftmaxRow(A.data, r, n, invT, lp, p, 'logitsP');
    logSoftmaxRow(B.data, r, n, invT, lq, q, 'logitsQ');
    const d = spec.kernel(lp, lq, p, q, u, v, n);
    if (d !== d) throw new EstimationError('logitsQ', `${spec.divergence}: row ${r} gave NaN (an internal error; please report the logits)`);
    out[r] = d;
    if (d === Infinity) anyInf = true;
    else total.add(d);
    if (u && v && gradP && gradQ) {
      if (d === Infinity) {
        throw new EstimationError('logitsQ', `${spec.divergence} is +∞ at row ${r} (one distribution puts zero probability where the other has mass), so it has no gradient; smooth the logits (e.g. label smoothing) or pass grad: false to get the value`);
      }
      let su = 0, sv = 0;
      for (let k = 0; k < n; k++) {
        su += u[k];
        sv += v[k];
      }
      const off = r * n;
      for (let k = 0; k < n; k++) {
        gradP[off + k] = (u[k] - p[k] * su) * c;
        gradQ[off + k] = (v[k] - q[k] * sv) * c;
      }
    }
  }
  const sum = anyInf ? Infinity : total.value;
  return {
    value: reduction === 'mean' ? sum / rows : sum,
    rows: out,
    gradP,
    gradQ,
    divergence: spec.divergence,
    params: { ...spec.params, temperature: T, reduction },
    shape: [rows, n],
    unit: 'nat',
  };
}

/** log(e^x + e^y), exact for −∞ arguments. */
export function logAddExp(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  return x > y ? x + Math.log1p(Math.exp(y - x)) : y + Math.log1p(Math.exp(x - y));
}

/** Softmax of one row of logits (max-shifted), as a convenience for callers and notebooks. */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const n = logits.length;
  const lp = new Float64Array(n), p = new Float64Array(n);
  const src = logits instanceof Float64Array || logits instanceof Float32Array ? logits : Float64Array.from(logits);
  logSoftmaxRow(src, 0, n, 1 / checkTemperature(temperature), lp, p, 'logits');
  return p;
}

/** Log-softmax of one row of logits (max-shifted; −∞ for −∞ logits). */
export function logSoftmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const n = logits.length;
  const lp = new Float64Array(n), p = new Float64Array(n);
  const src = logits instanceof Float64Array || logits instanceof Float32Array ? logits : Float64Array.from(logits);
  logSoftmaxRow(src, 0, n, 1 / checkTemperature(temperature), lp, p, 'logits');
  return lp;
}
