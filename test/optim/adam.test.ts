import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam } from '../../kernel-lib/optim/adam.js';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { backward, constant, parameter } from '../../kernel-lib/autodiff/tensor.js';

test('Adam reproduces Kingma & Ba Algorithm 1 step by step on fixed gradients', () => {
  const p = parameter(new Float64Array([1, -2]), 1, 2);
  const opt = new Adam([p], { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  const grads = [[0.5, -3], [0.2, 1], [-1, 0.25]];
  const th = [1, -2], m = [0, 0], v = [0, 0];
  for (let t = 1; t <= grads.length; t++) {
    p.grad = Float64Array.from(grads[t - 1]);
    opt.step();
    for (let i = 0; i < 2; i++) {
      const g = grads[t - 1][i];
      m[i] = 0.9 * m[i] + 0.1 * g;
      v[i] = 0.999 * v[i] + 0.001 * g * g;
      const mh = m[i] / (1 - 0.9 ** t), vh = v[i] / (1 - 0.999 ** t);
      th[i] -= 0.1 * mh / (Math.sqrt(vh) + 1e-8);
      assert.ok(Math.abs(p.data[i] - th[i]) < 1e-12, `step ${t} coordinate ${i}: ${p.data[i]} vs ${th[i]}`);
    }
  }
  // the first step moves each coordinate by lr against the sign of its gradient
  const q = parameter(new Float64Array([0]), 1, 1);
  const o2 = new Adam([q], { lr: 0.01 });
  q.grad = new Float64Array([123]);
  o2.step();
  assert.ok(Math.abs(q.data[0] + 0.01) < 1e-9);
});

test('Adam minimises a least-squares problem to its closed-form solution', () => {
  // min ‖A w − b‖², A = [[1,0],[0,2],[1,1]], b = [1, 2, 3]: normal equations give w* = (AᵀA)⁻¹Aᵀb
  const A = constant([[1, 0], [0, 2], [1, 1]]);
  const b = constant([[1], [2], [3]]);
  const w = parameter(new Float64Array([0, 0]), 2, 1);
  const opt = new Adam([w], { lr: 0.05 });
  for (let i = 0; i < 3000; i++) {
    opt.zeroGrad();
    backward(ops.sum(ops.square(ops.sub(ops.matmul(A, w), b))));
    opt.step();
  }
  // AᵀA = [[2,1],[1,5]], Aᵀb = [4, 7] → w* = [13/9, 10/9]
  assert.ok(Math.abs(w.data[0] - 13 / 9) < 1e-4);
  assert.ok(Math.abs(w.data[1] - 10 / 9) < 1e-4);
});

test('invalid options throw', () => {
  const p = parameter(new Float64Array([1]), 1, 1);
  assert.throws(() => new Adam([p], { lr: -1 }), { name: 'InvalidParameterError', message: /^options\.lr:/ });
  assert.throws(() => new Adam([p], { beta1: 1 }), { name: 'InvalidParameterError' });
  assert.throws(() => new Adam([constant([[1]])]), { name: 'InvalidParameterError', message: /^params:/ });
});

test('Adam updates are bit-identical to the textbook loop, with and without weight decay', () => {
  // the reference: the per-element form of Algorithm 1 as written before the loops were split
  for (const wd of [0, 0.01]) {
    const n = 37, T = 6;
    const p = parameter(new Float64Array(n).map((_, i) => Math.sin(i + 1)), 1, n);
    const opt = new Adam([p], { lr: 5e-4, weightDecay: wd });
    const th = Float64Array.from(p.data), m = new Float64Array(n), v = new Float64Array(n);
    for (let t = 1; t <= T; t++) {
      const g = new Float64Array(n).map((_, i) => Math.cos(3 * i + t) * (i % 5 === 0 ? 1e-6 : 1));
      p.grad = Float64Array.from(g);
      opt.step();
      const c1 = 1 - 0.9 ** t, sc2 = Math.sqrt(1 - 0.999 ** t), stepSize = 5e-4 / c1;
      for (let i = 0; i < n; i++) {
        const gi = wd === 0 ? g[i] : g[i] + wd * th[i];
        m[i] = 0.9 * m[i] + (1 - 0.9) * gi;
        v[i] = 0.999 * v[i] + (1 - 0.999) * gi * gi;
        th[i] -= stepSize * m[i] / (Math.sqrt(v[i]) / sc2 + 1e-8);
      }
      for (let i = 0; i < n; i++) assert.ok(Object.is(p.data[i], th[i]), `wd ${wd}, step ${t}, coordinate ${i}: ${p.data[i]} vs ${th[i]}`);
    }
  }
});
