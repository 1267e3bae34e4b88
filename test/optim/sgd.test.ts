import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sgd } from '../../kernel-lib/optim/sgd.js';
import { parameter } from '../../kernel-lib/autodiff/tensor.js';

test('SGD with heavy-ball momentum follows b ← μb + g, θ ← θ − ηb', () => {
  const p = parameter(new Float64Array([1]), 1, 1);
  const opt = new Sgd([p], { lr: 0.1, momentum: 0.5 });
  const gs = [1, 2, -1];
  let th = 1, b = 0;
  gs.forEach((g, t) => {
    p.grad = new Float64Array([g]);
    opt.step();
    b = t === 0 ? g : 0.5 * b + g;
    th -= 0.1 * b;
    assert.ok(Math.abs(p.data[0] - th) < 1e-15);
  });
});

test('plain SGD on f(θ) = θ²/2 contracts by (1 − η) per step', () => {
  const p = parameter(new Float64Array([4]), 1, 1);
  const opt = new Sgd([p], { lr: 0.25 });
  for (let t = 0; t < 10; t++) {
    p.grad = new Float64Array([p.data[0]]);
    opt.step();
  }
  assert.ok(Math.abs(p.data[0] - 4 * 0.75 ** 10) < 1e-14);
  opt.zeroGrad();
  assert.equal(p.grad?.[0], 0);
});
