import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipGradNorm, gradNorm } from '../../kernel-lib/optim/common.js';
import { parameter } from '../../kernel-lib/autodiff/tensor.js';

test('gradNorm is the joint Euclidean norm; clipGradNorm rescales to maxNorm and returns the old norm', () => {
  const a = parameter(new Float64Array([3, 0]), 1, 2);
  const b = parameter(new Float64Array([0]), 1, 1);
  a.grad = new Float64Array([3, 0]);
  b.grad = new Float64Array([4]);
  assert.equal(gradNorm([a, b]), 5);
  assert.equal(clipGradNorm([a, b], 1), 5);
  assert.ok(Math.abs(gradNorm([a, b]) - 1) < 1e-6);
  assert.equal(clipGradNorm([a, b], 10), gradNorm([a, b]));
  b.grad[0] = NaN;
  assert.throws(() => gradNorm([a, b]), { name: 'NonFiniteError' });
});
