import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { backward, constant, parameter } from '../../kernel-lib/autodiff/tensor.js';

test('backward through a shared subexpression adds both paths (d(x·x + x)/dx = 2x + 1)', () => {
  const x = parameter(new Float64Array([3]), 1, 1);
  const y = ops.add(ops.mul(x, x), x);
  backward(y);
  assert.equal(x.grad?.[0], 7);
});

test('leaf gradients accumulate across backward calls, intermediates are reset', () => {
  const x = parameter(new Float64Array([2, -1]), 1, 2);
  const loss = () => ops.sum(ops.square(x));
  backward(loss());
  backward(loss());
  assert.deepEqual(Array.from(x.grad ?? []), [8, -4]);
});

test('constants get no gradient; non-scalar outputs need a seed', () => {
  const c = constant([[1, 2]]);
  const w = parameter(new Float64Array([1, 1]), 1, 2);
  const y = ops.mul(c, w);
  assert.throws(() => backward(y), { name: 'InvalidParameterError', message: /^seed:/ });
  backward(y, [1, 1]);
  assert.equal(c.grad, null);
  assert.deepEqual(Array.from(w.grad ?? []), [1, 2]);
  assert.throws(() => backward(ops.sum(c)), { name: 'InvalidParameterError', message: /^output:/ });
});

test('a deep chain (10 000 ops) does not overflow the stack', () => {
  const x = parameter(new Float64Array([0.5]), 1, 1);
  let y = x;
  for (let i = 0; i < 10000; i++) y = ops.addScalar(y, 0);
  backward(y);
  assert.equal(x.grad?.[0], 1);
});

test('non-finite data is rejected', () => {
  assert.throws(() => constant(new Float64Array([1, NaN]), 1, 2), { name: 'NonFiniteError' });
  assert.throws(() => constant([[1, 2], [3]]), { name: 'ShapeError' });
});
