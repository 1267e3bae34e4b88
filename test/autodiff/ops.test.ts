import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { constant } from '../../kernel-lib/autodiff/tensor.js';

// Values and errors of the ops through the `ops` namespace (gradients: linear/elementwise/activations/reductions.test.ts).

test('values: closed forms of a few ops', () => {
  const a = constant([[1, 2], [3, 4]]);
  const b = constant([[5, 6], [7, 8]]);
  assert.deepEqual(Array.from(ops.matmul(a, b).data), [19, 22, 43, 50]);
  assert.deepEqual(Array.from(ops.matmulNT(a, b).data), [17, 23, 39, 53]);
  assert.ok(Math.abs(ops.logSumExpRows(a).data[0] - Math.log(Math.E + Math.E ** 2)) < 1e-15);
  assert.ok(Math.abs(ops.logSumExpCols(a).data[1] - Math.log(Math.E ** 2 + Math.E ** 4)) < 1e-15);
  // log-sum-exp is max-shifted: no overflow at 1000
  assert.ok(Math.abs(ops.logSumExp(constant([[1000, 1000]])).item() - (1000 + Math.LN2)) < 1e-12);
  assert.equal(ops.softplus(constant([[800]])).item(), 800);
  assert.deepEqual(Array.from(ops.pairSum(constant([[1, 10], [2, 20]]), constant([[100, 1000]])).data), [101, 1010, 102, 1020]);
});

test('bad shapes throw typed errors naming the argument', () => {
  assert.throws(() => ops.matmul(constant([[1, 2]]), constant([[1, 2]])), { name: 'DimensionMismatchError', message: /^b:/ });
  assert.throws(() => ops.add(constant([[1, 2]]), constant([[1], [2]])), { name: 'DimensionMismatchError' });
  assert.throws(() => ops.log(constant([[0]])), { name: 'InvalidParameterError' });
  assert.throws(() => ops.diag(constant([[1, 2]])), { name: 'DimensionMismatchError' });
});
