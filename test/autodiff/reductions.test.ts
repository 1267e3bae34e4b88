import { test } from 'node:test';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { type Tensor } from '../../kernel-lib/autodiff/tensor.js';
import { checkGradient, randParam } from './fd.js';

// Gradients of divlab/autodiff's reductions ops against central finite differences (random inputs, random output weights).

test('reduction gradients match finite differences', () => {
  checkGradient(ops.sum, [randParam(3, 4, 36)]);
  checkGradient(ops.mean, [randParam(3, 4, 37)]);
  checkGradient(ops.sumRows, [randParam(3, 4, 38)]);
  checkGradient(ops.logSumExpRows, [randParam(4, 5, 39, 3)]);
  checkGradient(ops.logSumExpCols, [randParam(4, 5, 40, 3)]);
  checkGradient(ops.logSumExp, [randParam(4, 5, 41, 3)]);
  checkGradient(ops.diag, [randParam(4, 4, 42)]);
  checkGradient((a: Tensor) => ops.logSumExp(ops.fillDiagonal(a, -Infinity)), [randParam(4, 4, 43)]);
});
