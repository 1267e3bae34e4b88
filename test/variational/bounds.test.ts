import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../kernel-lib/core/rng.js';
import { dv, infoNce, js, mine, mineState, nwj, smile, bound, type BoundResult } from '../../kernel-lib/variational/bounds.js';

const sp = (x: number): number => Math.log1p(Math.exp(x));
const E = Math.E;
// S[i][j] = T(x_i, y_j): diagonal (2, 3) joint, off-diagonal (0, 1) product of marginals
const S = new Float64Array([2, 0, 1, 3]);
const near = (a: number, b: number, tol = 1e-14): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('hand-computed values on a 2×2 score matrix', () => {
  near(dv(S, 2).value, 2.5 - Math.log((1 + E) / 2));
  near(nwj(S, 2).value, 2.5 - (1 + E) / (2 * E));
  near(infoNce(S, 2).value, Math.log(2) + 0.5 * (2 - Math.log(E ** 2 + 1) + 3 - Math.log(E + E ** 3)));
  near(js(S, 2).value, 2.5 + 1 - (1 + E) / 2);
  near(js(S, 2).objective, 0.5 * (-sp(-2) - sp(-3)) - 0.5 * (sp(0) + sp(1)));
  near(smile(S, 2, 0.5).value, 2.5 - Math.log((1 + Math.exp(0.5)) / 2));
  near(smile(S, 2, Infinity).value, dv(S, 2).value);
  // MINE: value is DV; moving average a = 0.9·1 + 0.1·(1+e)/2 enters the gradient
  const st = mineState(0.9);
  const r = mine(S, 2, st);
  const a = 0.9 + 0.1 * (1 + E) / 2;
  near(r.value, dv(S, 2).value);
  near(st.logEma, Math.log(a));
  near(r.grad[1], -1 / (2 * a));
  near(r.grad[2], -E / (2 * a));
  near(r.grad[0], 0.5);
});

function fdCheck(f: (s: Float64Array) => BoundResult, S0: Float64Array, tol = 1e-7): void {
  const g = f(S0).grad;
  const h = 1e-6;
  for (let k = 0; k < S0.length; k++) {
    const s = Float64Array.from(S0);
    s[k] += h; const up = f(s).objective;
    s[k] -= 2 * h; const dn = f(s).objective;
    const num = (up - dn) / (2 * h);
    assert.ok(Math.abs(num - g[k]) < tol, `entry ${k}: ${g[k]} vs ${num}`);
  }
}

test('each bound returns ∂objective/∂S (finite differences on a random 5×5 matrix)', () => {
  const n = 5;
  const S5 = new Rng(1).normals(n * n).map((v) => 2 * v);
  fdCheck((s) => infoNce(s, n), S5);
  fdCheck((s) => dv(s, n), S5);
  fdCheck((s) => nwj(s, n), S5);
  fdCheck((s) => js(s, n), S5);
  fdCheck((s) => smile(s, n, 1), S5);
  // MINE with momentum 0 uses this batch's own average: its gradient is DV's
  const g0 = mine(S5, n, mineState(0)).grad;
  const gd = dv(S5, n).grad;
  for (let k = 0; k < g0.length; k++) near(g0[k], gd[k], 1e-14);
});

test('properties: InfoNCE ≤ log n, NWJ ≤ DV, DV invariant to a constant shift, SMILE bias grows as τ shrinks', () => {
  const rng = new Rng(2);
  for (let rep = 0; rep < 20; rep++) {
    const n = 2 + rng.int(10);
    const s = rng.normals(n * n).map((v) => 5 * v);
    for (let i = 0; i < n; i++) s[i * n + i] += 20; // a critic that separates the joint pairs perfectly
    assert.ok(infoNce(s, n).value <= Math.log(n) + 1e-12);
    assert.ok(nwj(s, n).value <= dv(s, n).value + 1e-12);
    near(dv(s.map((v) => v + 7), n).value, dv(s, n).value, 1e-10);
  }
  // a perfect critic saturates InfoNCE at log n
  const n = 64;
  const perfect = new Float64Array(n * n);
  for (let i = 0; i < n; i++) perfect[i * n + i] = 50;
  near(infoNce(perfect, n).value, Math.log(n), 1e-12);
});

test('bound() dispatches by name; invalid input throws typed errors', () => {
  near(bound('nwj', S, 2).value, nwj(S, 2).value);
  near(bound('smile', S, 2, { tau: 0.5 }).value, smile(S, 2, 0.5).value);
  assert.throws(() => bound('nope' as never, S, 2), { name: 'InvalidParameterError', message: /^bound:/ });
  assert.throws(() => dv(new Float64Array([1, 2, 3]), 2), { name: 'DimensionMismatchError' });
  assert.throws(() => dv(new Float64Array([1]), 1), { name: 'ShapeError' });
  assert.throws(() => dv(new Float64Array([1, NaN, 0, 1]), 2), { name: 'NonFiniteError', message: /^scores:/ });
  assert.throws(() => smile(S, 2, 0), { name: 'InvalidParameterError', message: /^tau:/ });
});
