import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { backward, Tensor } from '../../kernel-lib/autodiff/tensor.js';
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

test('relu (branch-free loops) equals the branching form bit for bit, non-finite values and signed zeros included', () => {
  const special = [0, -0, 1.5, -2.5, Infinity, -Infinity, NaN, 1e-310, -1e-310];
  const n = special.length;
  const rows = n * n * n; // every combination of (input, incoming gradient, gradient already held)
  const x = new Float64Array(rows), seed = new Float64Array(rows), held = new Float64Array(rows);
  for (let i = 0, r = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++, r++) {
    x[r] = special[i]; seed[r] = special[j]; held[r] = special[k];
  }
  const a = new Tensor(Float64Array.from(x), rows, 1, true);
  a.grad = Float64Array.from(held);
  const out = ops.relu(a);
  backward(out, seed);
  for (let r = 0; r < rows; r++) {
    const want = x[r] > 0 ? x[r] : 0;
    assert.ok(Object.is(out.data[r], want), `value at x = ${x[r]}: ${out.data[r]} vs ${want}`);
    let g = held[r];
    if (x[r] > 0) g += 0 + seed[r]; // backward() adds the seed to a zeroed buffer: −0 arrives as +0
    assert.ok(Object.is((a.grad as Float64Array)[r], g), `gradient at x = ${x[r]}, g = ${seed[r]}, held ${held[r]}: ${(a.grad as Float64Array)[r]} vs ${g}`);
  }
});
