import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toMatrix, hstack, vstack, assertSameDim } from '../../kernel-lib/core/matrix.js';
import { DimensionMismatchError, DivlabError, NonFiniteError, ShapeError } from '../../kernel-lib/core/errors.js';

test('toMatrix accepts number[][], number[], {data, shape} and Float64Array, row-major', () => {
  const a = toMatrix([[1, 2], [3, 4], [5, 6]], 'x');
  assert.deepEqual([a.rows, a.cols, Array.from(a.data)], [3, 2, [1, 2, 3, 4, 5, 6]]);
  const b = toMatrix([1, 2, 3], 'x');
  assert.deepEqual([b.rows, b.cols], [3, 1]);
  const c = toMatrix({ data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] }, 'x');
  assert.ok(c.data instanceof Float64Array);
  assert.deepEqual([c.rows, c.cols, c.data[3]], [2, 2, 4]);
  const d = toMatrix(new Float64Array([7, 8]), 'x');
  assert.deepEqual([d.rows, d.cols], [2, 1]);
});

test('ragged rows throw ShapeError naming the argument and the row', () => {
  assert.throws(() => toMatrix([[1, 2], [3]], 'y'), (e: unknown) =>
    e instanceof ShapeError && e instanceof DivlabError && e.argument === 'y' && /row 1/.test(e.message));
});

test('NaN and Infinity throw NonFiniteError with row and column', () => {
  assert.throws(() => toMatrix([[1, 2], [3, NaN]], 'x'), (e: unknown) =>
    e instanceof NonFiniteError && e.argument === 'x' && /row 1, column 1/.test(e.message));
  assert.throws(() => toMatrix([1, Infinity], 'x'), NonFiniteError);
  assert.throws(() => toMatrix({ data: [1, 2, -Infinity, 4], shape: [2, 2] }, 'q'), NonFiniteError);
});

test('empty input and bad shapes throw ShapeError', () => {
  assert.throws(() => toMatrix([], 'x'), ShapeError);
  assert.throws(() => toMatrix({ data: [1, 2, 3], shape: [2, 2] }, 'x'), ShapeError);
  assert.throws(() => toMatrix(undefined as never, 'x'), ShapeError);
});

test('stacking and dimension checks', () => {
  const a = toMatrix([[1, 2]], 'a');
  const b = toMatrix([[3, 4]], 'b');
  assert.deepEqual(Array.from(vstack(a, b).data), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(hstack(a, b).data), [1, 2, 3, 4]);
  assert.equal(hstack(a, b).cols, 4);
  assert.throws(() => assertSameDim(a, toMatrix([[1]], 'c'), 'a', 'c'), (e: unknown) => e instanceof DimensionMismatchError && e.argument === 'c');
});
