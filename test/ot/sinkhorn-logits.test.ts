import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sinkhornLogits } from '../../kernel-lib/ot/sinkhorn-logits.js';
import { sinkhorn } from '../../kernel-lib/ot/sinkhorn.js';
import { softmax } from '../../kernel-lib/fdiv/logits.js';
import { checkGradients, randomLogits } from '../fdiv/gradcheck.js';

const n = 6;
const grid = Array.from({ length: n }, (_, i) => i / (n - 1));
const C = grid.map((s) => grid.map((t) => (s - t) ** 2));

test('per row, the value is the regularised W_ε of the softmaxes and `transport` is POT sinkhorn2', () => {
  const a = randomLogits(3, n, 1), b = randomLogits(3, n, 2);
  const r = sinkhornLogits(a, b, C, { reg: 0.05, tol: 1e-14 });
  assert.ok(r.converged);
  for (let i = 0; i < 3; i++) {
    const s = sinkhorn(softmax(a[i]), softmax(b[i]), C, { reg: 0.05, tol: 1e-14 });
    assert.ok(Math.abs(r.rows[i] - s.regularized) < 1e-13);
    assert.ok(Math.abs(r.transport[i] - s.value) < 1e-13);
  }
  assert.ok(Math.abs(r.value - (r.rows[0] + r.rows[1] + r.rows[2]) / 3) < 1e-15);
});

test('gradients with respect to both logit arrays match finite differences (plain and debiased, with temperature)', () => {
  const a = randomLogits(2, n, 3), b = randomLogits(2, n, 4);
  const opts = { reg: 0.1, tol: 1e-15, maxIter: 100000 };
  checkGradients((x, y) => sinkhornLogits(x, y, C, opts), a, b, 1e-6);
  checkGradients((x, y) => sinkhornLogits(x, y, C, { ...opts, debiased: true, temperature: 1.7, reduction: 'sum' }), a, b, 1e-6);
});

test('debiased Sinkhorn divergence: 0 at p = q (with zero gradient), positive otherwise; plain W_ε(p, p) > 0', () => {
  const a = randomLogits(1, n, 5);
  const same = sinkhornLogits(a, a, C, { reg: 0.1, debiased: true, tol: 1e-14 });
  assert.ok(Math.abs(same.value) < 1e-13);
  for (const g of same.gradQ!) assert.ok(Math.abs(g) < 1e-10);
  const plain = sinkhornLogits(a, a, C, { reg: 0.1, tol: 1e-14 });
  assert.ok(plain.transport[0] > 1e-3, 'the entropic plan spreads mass: ⟨P, C⟩ > 0 at p = q');
  const other = sinkhornLogits(a, randomLogits(1, n, 6), C, { reg: 0.1, debiased: true });
  assert.ok(other.value > 1e-4);
});

test('−∞ logits: zero masses are allowed and get zero gradient', () => {
  const a = [[0, -Infinity, 1, 0.5, -Infinity, 0]];
  const b = [[0.3, 0.2, -Infinity, 0, 1, -0.5]];
  const r = sinkhornLogits(a, b, C, { reg: 0.1, tol: 1e-14 });
  assert.ok(Number.isFinite(r.value) && r.converged);
  assert.equal(r.gradP![1], 0);
  assert.equal(r.gradQ![2], 0);
  checkGradients((x, y) => sinkhornLogits(x, y, C, { reg: 0.1, tol: 1e-15, maxIter: 100000 }), a, b, 1e-6);
});

test('debiased value: the symmetric solver for W_ε(p, p) agrees with the general one (and a non-symmetric cost takes the general path)', () => {
  const a = randomLogits(2, n, 7), b = randomLogits(2, n, 8);
  const r = sinkhornLogits(a, b, C, { reg: 0.05, debiased: true, tol: 1e-13 });
  for (let i = 0; i < 2; i++) {
    const p = softmax(a[i]), q = softmax(b[i]);
    const w = (x: Float64Array, y: Float64Array) => sinkhorn(x, y, C, { reg: 0.05, tol: 1e-13, maxIter: 100000 }).regularized;
    const want = w(p, q) - 0.5 * w(p, p) - 0.5 * w(q, q);
    assert.ok(Math.abs(r.rows[i] - want) < 1e-11, `${r.rows[i]} vs ${want}`);
  }
  const Cn = C.map((row, i) => row.map((v, j) => v + 0.1 * (i > j ? 1 : 0)));
  const rn = sinkhornLogits(a, b, Cn, { reg: 0.05, debiased: true, tol: 1e-13 });
  const p0 = softmax(a[0]), q0 = softmax(b[0]);
  const wn = (x: Float64Array, y: Float64Array) => sinkhorn(x, y, Cn, { reg: 0.05, tol: 1e-13, maxIter: 100000 }).regularized;
  assert.ok(Math.abs(rn.rows[0] - (wn(p0, q0) - 0.5 * wn(p0, p0) - 0.5 * wn(q0, q0))) < 1e-11);
  checkGradients((x, y) => sinkhornLogits(x, y, Cn, { reg: 0.1, debiased: true, tol: 1e-15, maxIter: 100000 }), a, b, 1e-6);
});
