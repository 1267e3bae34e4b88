import { DimensionMismatchError, NonFiniteError, ShapeError } from './errors.js';

/** A dense row-major float64 matrix: `rows` points of dimension `cols`. */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/** A typed row-major matrix as the caller may hold it. */
export interface TypedSamples {
  readonly data: Float64Array | Float32Array | ArrayLike<number>;
  readonly shape: readonly [number, number];
}

/**
 * Accepted sample containers: `number[][]` (rows = points), `number[]` (n points in 1-D),
 * a `{ data, shape: [n, d] }` typed row-major matrix, or a {@link Matrix}.
 */
export type Samples = readonly (readonly number[])[] | readonly number[] | Float64Array | TypedSamples | Matrix;

function isMatrix(x: unknown): x is Matrix {
  return typeof x === 'object' && x !== null && (x as Matrix).data instanceof Float64Array &&
    Number.isInteger((x as Matrix).rows) && Number.isInteger((x as Matrix).cols);
}

/** Wraps an existing Float64Array without copying (trusted internal use; no validation). */
export function matrix(data: Float64Array, rows: number, cols: number): Matrix {
  return { data, rows, cols };
}

/**
 * Parses and validates samples once at the API boundary and returns a row-major float64 matrix.
 * Throws {@link ShapeError} for empty/ragged input and {@link NonFiniteError} for NaN/±Inf,
 * naming `name` (the argument) and the offending row and column.
 */
export function toMatrix(x: Samples, name: string): Matrix {
  let out: Matrix;
  if (x === null || x === undefined) {
    throw new ShapeError(name, 'expected samples (number[][], number[] or {data, shape}), got ' + String(x));
  }
  if (isMatrix(x)) {
    if (x.data.length !== x.rows * x.cols) {
      throw new ShapeError(name, `data has length ${x.data.length} but rows*cols = ${x.rows * x.cols}`);
    }
    out = x;
  } else if (x instanceof Float64Array) {
    out = { data: x, rows: x.length, cols: 1 };
  } else if (Array.isArray(x)) {
    const rows = x.length;
    if (rows === 0) throw new ShapeError(name, 'no samples (empty array)');
    if (Array.isArray(x[0]) || ArrayBuffer.isView(x[0])) {
      const rowsArr = x as readonly (readonly number[])[];
      const cols = rowsArr[0].length;
      if (cols === 0) throw new ShapeError(name, 'row 0 is empty; every point needs at least one coordinate');
      const data = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        const r = rowsArr[i];
        if (!(Array.isArray(r) || ArrayBuffer.isView(r))) {
          throw new ShapeError(name, `row ${i} is not an array (mixed 1-D and 2-D input)`);
        }
        if (r.length !== cols) {
          throw new ShapeError(name, `ragged rows: row ${i} has ${r.length} coordinates, row 0 has ${cols}`);
        }
        for (let j = 0; j < cols; j++) data[i * cols + j] = r[j];
      }
      out = { data, rows, cols };
    } else {
      const data = Float64Array.from(x as readonly number[], (v) => (typeof v === 'number' ? v : NaN));
      out = { data, rows, cols: 1 };
    }
  } else if (typeof x === 'object' && 'shape' in x && 'data' in x) {
    const [rows, cols] = x.shape;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1) {
      throw new ShapeError(name, `invalid shape [${String(rows)}, ${String(cols)}]`);
    }
    if (x.data.length !== rows * cols) {
      throw new ShapeError(name, `data has length ${x.data.length} but shape [${rows}, ${cols}] needs ${rows * cols}`);
    }
    const data = x.data instanceof Float64Array ? x.data : Float64Array.from(x.data as ArrayLike<number>);
    out = { data, rows, cols };
  } else {
    throw new ShapeError(name, 'expected samples as number[][], number[] or {data, shape: [n, d]}');
  }
  if (out.rows === 0) throw new ShapeError(name, 'no samples (0 rows)');
  const { data, cols } = out;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const r = Math.floor(i / cols);
      throw new NonFiniteError(name, `non-finite value ${data[i]} at row ${r}, column ${i - r * cols}; remove or impute it`);
    }
  }
  return out;
}

/** Throws {@link DimensionMismatchError} unless `a` and `b` have the same dimension. */
export function assertSameDim(a: Matrix, b: Matrix, nameA: string, nameB: string): void {
  if (a.cols !== b.cols) {
    throw new DimensionMismatchError(nameB, `has dimension ${b.cols} but ${nameA} has dimension ${a.cols}; both samples must live in the same space`);
  }
}

/** Throws {@link DimensionMismatchError} unless `a` and `b` have the same number of rows (paired samples). */
export function assertSameRows(a: Matrix, b: Matrix, nameA: string, nameB: string): void {
  if (a.rows !== b.rows) {
    throw new DimensionMismatchError(nameB, `has ${b.rows} samples but ${nameA} has ${a.rows}; paired samples (x_i, y_i) need equal counts`);
  }
}

/** Row-wise concatenation [a; b] (same dimension). */
export function vstack(a: Matrix, b: Matrix): Matrix {
  const data = new Float64Array((a.rows + b.rows) * a.cols);
  data.set(a.data, 0);
  data.set(b.data, a.data.length);
  return { data, rows: a.rows + b.rows, cols: a.cols };
}

/** Column-wise concatenation [a, b] (same number of rows). */
export function hstack(a: Matrix, b: Matrix): Matrix {
  const cols = a.cols + b.cols;
  const data = new Float64Array(a.rows * cols);
  for (let i = 0; i < a.rows; i++) {
    data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * cols);
    data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * cols + a.cols);
  }
  return { data, rows: a.rows, cols };
}

/** Copies rows `idx` of `a` into a new matrix. */
export function takeRows(a: Matrix, idx: ArrayLike<number>): Matrix {
  const data = new Float64Array(idx.length * a.cols);
  for (let i = 0; i < idx.length; i++) data.set(a.data.subarray(idx[i] * a.cols, (idx[i] + 1) * a.cols), i * a.cols);
  return { data, rows: idx.length, cols: a.cols };
}

/** Row-major matrix as number[][] (for display and JSON). */
export function toRows(a: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) out.push(Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
  return out;
}
