import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CvObjective, minimise } from '../../kernel-lib/kde/cv.js';
import { normals } from '../helpers/data.js';

/** Brute-force objectives in statsmodels' form (reference make_reference.py sm_loo_neg_loglik / sm_imse). */
function bruteLcv(x: { data: Float64Array; rows: number; cols: number }, h: number[]): number {
  const { rows: n, cols: d } = x;
  let F = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let k = 1;
      for (let c = 0; c < d; c++) {
        const u = (x.data[i * d + c] - x.data[j * d + c]) / h[c];
        k *= Math.exp(-0.5 * u * u) / (Math.sqrt(2 * Math.PI) * h[c]);
      }
      s += k;
    }
    F -= Math.log(s);
  }
  return F;
}
function bruteLscv(x: { data: Float64Array; rows: number; cols: number }, h: number[]): number {
  const { rows: n, cols: d } = x;
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let kb = 1;
      let k = 1;
      for (let c = 0; c < d; c++) {
        const u = (x.data[i * d + c] - x.data[j * d + c]) / h[c];
        kb *= Math.exp(-0.25 * u * u) / (Math.sqrt(4 * Math.PI) * h[c]);
        k *= Math.exp(-0.5 * u * u) / (Math.sqrt(2 * Math.PI) * h[c]);
      }
      a += kb;
      if (i !== j) b += k;
    }
  }
  return a / (n * n) - (2 * b) / (n * (n - 1));
}

test('objective values equal the brute-force statsmodels forms (per-dimension and tied)', () => {
  const x = normals(40, 3, 1);
  const h = [0.4, 0.7, 1.1];
  const l = h.map(Math.log);
  assert.ok(Math.abs(new CvObjective(x, 'lcv', false).evaluate(l, false).value - bruteLcv(x, h)) < 1e-10 * Math.abs(bruteLcv(x, h)));
  assert.ok(Math.abs(new CvObjective(x, 'lscv', false).evaluate(l, false).value - bruteLscv(x, h)) < 1e-12);
  const f = 0.6;
  assert.ok(Math.abs(new CvObjective(x, 'lcv', true).evaluate([Math.log(f)], false).value - bruteLcv(x, [f, f, f])) < 1e-10 * 100);
  assert.ok(Math.abs(new CvObjective(x, 'lscv', true).evaluate([Math.log(f)], false).value - bruteLscv(x, [f, f, f])) < 1e-12);
});

test('analytic gradient and Hessian in log h match central finite differences', () => {
  const x = normals(35, 2, 2);
  for (const kind of ['lcv', 'lscv'] as const) {
    for (const tied of [false, true]) {
      const obj = new CvObjective(x, kind, tied);
      const l = tied ? [Math.log(0.5)] : [Math.log(0.5), Math.log(0.8)];
      const at = obj.evaluate(l, true);
      const p = l.length;
      const e = 1e-5;
      for (let s = 0; s < p; s++) {
        const up = l.slice();
        const dn = l.slice();
        up[s] += e;
        dn[s] -= e;
        const fu = obj.evaluate(up, true);
        const fdn = obj.evaluate(dn, true);
        const g = (fu.value - fdn.value) / (2 * e);
        const scale = Math.max(1e-3, Math.abs(g));
        assert.ok(Math.abs(g - at.grad[s]) < 1e-6 * scale + 1e-9, `${kind} tied=${tied} grad[${s}] ${at.grad[s]} vs ${g}`);
        for (let t = 0; t < p; t++) {
          const hs = (fu.grad[t] - fdn.grad[t]) / (2 * e);
          assert.ok(Math.abs(hs - at.hess[t * p + s]) < 1e-5 * Math.max(1e-3, Math.abs(hs)) + 1e-9, `${kind} tied=${tied} H[${t},${s}] ${at.hess[t * p + s]} vs ${hs}`);
        }
      }
    }
  }
});

test('max-shifted rows: the same objective where unshifted sums underflow', () => {
  // Scaling data by c and h by c leaves LCV shifted by n·d·log c; far-apart points make every e_ij underflow.
  const x = normals(30, 2, 3);
  const big = { data: x.data.map((v) => v * 1e3), rows: 30, cols: 2 };
  const a = new CvObjective(x, 'lcv', true).evaluate([Math.log(0.002)], true);
  const b = new CvObjective(big, 'lcv', true).evaluate([Math.log(2)], true);
  assert.ok(Number.isFinite(a.value));
  assert.ok(Math.abs(b.value - (a.value + 30 * 2 * Math.log(1e3))) < 1e-9 * Math.abs(b.value));
  assert.ok(Math.abs(a.grad[0] - b.grad[0]) < 1e-9 * Math.abs(a.grad[0]));
});

test('minimise: Newton reaches a zero gradient from a far start', () => {
  const x = normals(80, 2, 4);
  const obj = new CvObjective(x, 'lcv', false);
  const m = minimise(obj, [Math.log(5), Math.log(0.05)]);
  assert.ok(m.converged);
  for (const g of m.grad) assert.ok(Math.abs(g) < 1e-6, `grad ${g}`);
});
