import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';
import * as ops from '../../kernel-lib/autodiff/ops.js';
import { backward, constant, type Tensor } from '../../kernel-lib/autodiff/tensor.js';
import { ConcatCritic, SeparableCritic } from '../../kernel-lib/variational/critics.js';

test('separable critic scores are f(x_i)·g(y_j)', () => {
  const c = new SeparableCritic(3, 2, { hidden: [5], embed: 4, seed: 1 });
  const x = constant(new Rng(1).normals(4 * 3), 4, 3);
  const y = constant(new Rng(2).normals(3 * 2), 3, 2);
  const S = c.scores(x, y);
  const f = c.f.forward(x), g = c.g.forward(y);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += f.data[i * 4 + k] * g.data[j * 4 + k];
    assert.ok(Math.abs(S.data[i * 3 + j] - s) < 1e-14);
  }
});

test('concat critic equals its MLP on the concatenated pair [x_i, y_j], and its gradient a finite difference', () => {
  const c = new ConcatCritic(2, 3, { hidden: [6, 5], activation: 'tanh', seed: 2 });
  const x = constant(new Rng(3).normals(3 * 2), 3, 2);
  const y = constant(new Rng(4).normals(4 * 3), 4, 3);
  const S = c.scores(x, y);
  assert.equal(S.rows, 3);
  assert.equal(S.cols, 4);
  // direct: W = [W_x; W_y] on the row [x_i, y_j]
  const W = ops.reshape(constant(new Float64Array([...c.wx.data, ...c.wy.data])), 5, 6);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) {
    const row = constant([[...x.data.subarray(i * 2, i * 2 + 2), ...y.data.subarray(j * 3, j * 3 + 3)]]);
    const h = ops.tanh(ops.addBias(ops.matmul(row, W), c.b));
    const t = c.tail.forward(h).item();
    assert.ok(Math.abs(S.data[i * 4 + j] - t) < 1e-13);
  }
  const loss = (): Tensor => ops.mean(ops.square(c.scores(x, y)));
  backward(loss());
  const e = 1e-6;
  for (const p of [c.wx, c.wy, c.b]) {
    for (const k of [0, p.size - 1]) {
      const v = p.data[k];
      p.data[k] = v + e; const up = loss().item();
      p.data[k] = v - e; const dn = loss().item();
      p.data[k] = v;
      assert.ok(Math.abs((up - dn) / (2 * e) - (p.grad as Float64Array)[k]) < 1e-8);
    }
  }
});
