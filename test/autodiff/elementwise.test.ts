import { test } from 'node:test';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { type Tensor } from '../../kernel-lib/autodiff/tensor.js';
import { checkGradient, randParam } from './fd.js';

// Gradients of divlab/autodiff's elementwise ops against central finite differences (random inputs, random output weights).

test('elementwise op gradients match finite differences', () => {
  checkGradient(ops.add, [randParam(3, 4, 16), randParam(3, 4, 17)]);
  checkGradient(ops.sub, [randParam(3, 4, 18), randParam(3, 4, 19)]);
  checkGradient(ops.mul, [randParam(3, 4, 20), randParam(3, 4, 21)]);
  checkGradient(ops.mulColumn, [randParam(3, 4, 22), randParam(3, 1, 23)]);
  checkGradient((a: Tensor) => ops.scale(a, -2.5), [randParam(2, 3, 24)]);
  checkGradient((a: Tensor) => ops.addScalar(a, 3), [randParam(2, 3, 25)]);
  checkGradient(ops.neg, [randParam(2, 3, 26)]);
  checkGradient(ops.exp, [randParam(2, 3, 27)]);
  checkGradient(ops.log, [randParam(2, 3, 28, 0.3, 2)]);
  checkGradient(ops.square, [randParam(2, 3, 29)]);
  // clip: inputs kept away from the kinks at ±0.5
  const c = randParam(3, 5, 30);
  for (let i = 0; i < c.size; i++) if (Math.abs(Math.abs(c.data[i]) - 0.5) < 0.05) c.data[i] += 0.2;
  checkGradient((a: Tensor) => ops.clip(a, -0.5, 0.5), [c]);
});
