import { test } from 'node:test';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { type Tensor } from '../../kernel-lib/autodiff/tensor.js';
import { checkGradient, randParam } from './fd.js';

// Gradients of divlab/autodiff's activations ops against central finite differences (random inputs, random output weights).

test('activation gradients match finite differences (inputs away from the ReLU/ELU kink)', () => {
  const away = (seed: number): Tensor => {
    const t = randParam(4, 5, seed);
    for (let i = 0; i < t.size; i++) if (Math.abs(t.data[i]) < 0.05) t.data[i] = 0.3;
    return t;
  };
  checkGradient(ops.relu, [away(31)]);
  checkGradient((a: Tensor) => ops.elu(a), [away(32)]);
  checkGradient(ops.softplus, [randParam(4, 5, 33, 3)]);
  checkGradient(ops.tanh, [randParam(4, 5, 34)]);
  checkGradient(ops.sigmoid, [randParam(4, 5, 35, 3)]);
});
