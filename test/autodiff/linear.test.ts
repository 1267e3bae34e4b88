import { test } from 'node:test';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { type Tensor } from '../../kernel-lib/autodiff/tensor.js';
import { checkGradient, randParam } from './fd.js';

// Gradients of divlab/autodiff's linear ops against central finite differences (random inputs, random output weights).

test('matmul, matmulNT, linear, transpose gradients match finite differences', () => {
  checkGradient(ops.matmul, [randParam(5, 3, 1), randParam(3, 6, 2)]);
  checkGradient(ops.matmulNT, [randParam(5, 3, 3), randParam(7, 3, 4)]);
  checkGradient(ops.linear, [randParam(6, 4, 5), randParam(4, 5, 6), randParam(1, 5, 7)]);
  checkGradient(ops.transpose, [randParam(3, 4, 8)]);
});

test('addBias, concatCols, pairSum, reshape gradients match finite differences', () => {
  checkGradient(ops.addBias, [randParam(4, 3, 9), randParam(1, 3, 10)]);
  checkGradient(ops.concatCols, [randParam(4, 2, 11), randParam(4, 3, 12)]);
  checkGradient(ops.pairSum, [randParam(3, 4, 13), randParam(5, 4, 14)]);
  checkGradient((a: Tensor) => ops.reshape(a, 2, 6), [randParam(3, 4, 15)]);
});
