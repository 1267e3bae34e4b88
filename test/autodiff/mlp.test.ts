import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Mlp } from '../../kernel-lib/autodiff/mlp.js';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { backward, constant } from '../../kernel-lib/autodiff/tensor.js';
import { Rng } from '../../kernel-lib/core/rng.js';

test('initialisation is seeded and within ±1/√fan_in', () => {
  const a = new Mlp([5, 8, 2], { seed: 3 });
  const b = new Mlp([5, 8, 2], { seed: 3 });
  assert.deepEqual(Array.from(a.layers[0].weight.data), Array.from(b.layers[0].weight.data));
  assert.equal(a.parameterCount, 5 * 8 + 8 + 8 * 2 + 2);
  for (const v of a.layers[0].weight.data) assert.ok(Math.abs(v) <= 1 / Math.sqrt(5));
  for (const v of a.layers[1].weight.data) assert.ok(Math.abs(v) <= 1 / Math.sqrt(8));
});

test('forward equals a hand-written evaluation, and the weight gradient a finite difference', () => {
  const net = new Mlp([3, 4, 2], { activation: 'tanh', seed: 1 });
  const x = constant(new Rng(2).normals(5 * 3), 5, 3);
  const out = net.forward(x);
  const [l1, l2] = net.layers;
  for (let i = 0; i < 5; i++) {
    const h = [0, 1, 2, 3].map((j) => Math.tanh(l1.bias.data[j] + [0, 1, 2].reduce((s, k) => s + x.data[i * 3 + k] * l1.weight.data[k * 4 + j], 0)));
    for (let o = 0; o < 2; o++) {
      const v = l2.bias.data[o] + h.reduce((s, hj, j) => s + hj * l2.weight.data[j * 2 + o], 0);
      assert.ok(Math.abs(out.data[i * 2 + o] - v) < 1e-14);
    }
  }
  const loss = () => ops.mean(ops.square(net.forward(x)));
  backward(loss());
  const w = l1.weight;
  const e = 1e-6;
  for (const idx of [0, 5, 11]) {
    const v = w.data[idx];
    w.data[idx] = v + e; const up = loss().item();
    w.data[idx] = v - e; const dn = loss().item();
    w.data[idx] = v;
    assert.ok(Math.abs((up - dn) / (2 * e) - (w.grad as Float64Array)[idx]) < 1e-8);
  }
});

test('bad sizes and inputs throw', () => {
  assert.throws(() => new Mlp([3]), { name: 'InvalidParameterError', message: /^sizes:/ });
  assert.throws(() => new Mlp([3, 0, 1]), { name: 'InvalidParameterError' });
  assert.throws(() => new Mlp([3, 2]).forward(constant([[1, 2]])), { name: 'InvalidParameterError', message: /^x:/ });
});
