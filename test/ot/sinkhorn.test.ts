import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sinkhorn } from '../../kernel-lib/ot/sinkhorn.js';
import { DimensionMismatchError, InvalidParameterError, NonFiniteError } from '../../kernel-lib/core/errors.js';
import { repoRoot } from '../helpers/reference.js';

interface RefCase { name: string; a: number[]; b: number[]; M: number[][]; reg: number; sinkhorn2: number; regularized: number; plan: number[][] }
const ref: { cases: RefCase[] } = JSON.parse(readFileSync(join(repoRoot(), 'test', 'fixtures', 'sinkhorn-reference.json'), 'utf8'));

for (const c of ref.cases) {
  test(`matches ot.sinkhorn2's formulas (numpy float64 reference): ${c.name}`, () => {
    const r = sinkhorn(c.a, c.b, c.M, { reg: c.reg, tol: 1e-14, maxIter: 100000 });
    assert.ok(r.converged, `converged (err ${r.marginalError})`);
    assert.ok(Math.abs(r.value - c.sinkhorn2) <= 1e-10 * Math.abs(c.sinkhorn2), `${r.value} vs ${c.sinkhorn2}`);
    assert.ok(Math.abs(r.regularized - c.regularized) <= 1e-10 * Math.max(1, Math.abs(c.regularized)), `${r.regularized} vs ${c.regularized}`);
    let worst = 0;
    for (let i = 0; i < c.a.length; i++) for (let j = 0; j < c.b.length; j++) worst = Math.max(worst, Math.abs(r.plan.data[i * c.b.length + j] - c.plan[i][j]));
    assert.ok(worst < 1e-12, `plan differs by ${worst}`);
    // With POT's default tolerance the value is already within 1e-7.
    const loose = sinkhorn(c.a, c.b, c.M, { reg: c.reg });
    assert.ok(loose.converged && Math.abs(loose.value - c.sinkhorn2) < 1e-7);
  });
}

test('closed form: two points with swapped cost, P_01 = ½/(1 + e^{1/ε})', () => {
  for (const reg of [0.05, 0.1, 1, 10]) {
    const r = sinkhorn([0.5, 0.5], [0.5, 0.5], [[0, 1], [1, 0]], { reg, tol: 1e-15 });
    const p01 = 0.5 / (1 + Math.exp(1 / reg));
    assert.ok(Math.abs(r.value - 2 * p01) <= 1e-13 * Math.max(2 * p01, 1e-300) + 1e-300, `reg ${reg}: ${r.value} vs ${2 * p01}`);
  }
});

test('small ε in the log domain: no underflow, and the value tends to the exact 1-D OT cost', () => {
  // Exact W2² on a 1-D grid by the monotone (north-west corner) coupling of the sorted supports.
  const n = 30;
  const x = Array.from({ length: n }, (_, i) => i / (n - 1));
  const p = x.map((t) => Math.exp(-((t - 0.2) ** 2) / 0.005) + Math.exp(-((t - 0.75) ** 2) / 0.01));
  const q = x.map((t) => Math.exp(-((t - 0.5) ** 2) / 0.02));
  const sp = p.reduce((s, v) => s + v, 0), sq = q.reduce((s, v) => s + v, 0);
  const a = p.map((v) => v / sp), b = q.map((v) => v / sq);
  const C = x.map((s) => x.map((t) => (s - t) ** 2));
  let i = 0, j = 0, ra = a[0], rb = b[0], emd = 0;
  while (i < n && j < n) {
    const m = Math.min(ra, rb);
    emd += m * C[i][j];
    ra -= m; rb -= m;
    if (ra <= 1e-18) { i++; ra = a[i] ?? 0; }
    if (rb <= 1e-18) { j++; rb = b[j] ?? 0; }
  }
  let prevGap = Infinity;
  for (const reg of [1e-2, 1e-3, 1e-4]) {
    const r = sinkhorn(a, b, C, { reg, maxIter: 20000, tol: 1e-12 });
    assert.ok(Number.isFinite(r.value) && r.converged, `reg ${reg}: converged ${r.converged} after ${r.iterations}`);
    const gap = Math.abs(r.value - emd);
    assert.ok(gap < prevGap, `reg ${reg}: |W_ε − W| = ${gap} should shrink`);
    prevGap = gap;
  }
  assert.ok(prevGap < 2e-3 * emd, `ε = 1e-4: ${prevGap} vs W = ${emd}`);
});

test('gradient: the potentials are the derivative of the regularised objective along the simplex', () => {
  const c = ref.cases.find((x) => x.name === 'random-5x7-reg0.1')!;
  const opts = { reg: c.reg, tol: 1e-15, maxIter: 100000 };
  const r = sinkhorn(c.a, c.b, c.M, opts);
  const h = 1e-6;
  // Directions e_i − e_k keep the total mass 1.
  for (const [which, w, g] of [['a', c.a, r.gradA], ['b', c.b, r.gradB]] as const) {
    for (const [i, k] of [[0, 1], [2, 4], [3, 0]]) {
      const up = [...w], dn = [...w];
      up[i] += h; up[k] -= h; dn[i] -= h; dn[k] += h;
      const f = (v: number[]) => (which === 'a' ? sinkhorn(v, c.b, c.M, opts) : sinkhorn(c.a, v, c.M, opts)).regularized;
      const fd = (f(up) - f(dn)) / (2 * h);
      const an = g[i] - g[k];
      assert.ok(Math.abs(fd - an) < 1e-7, `${which} (${i},${k}): ${an} vs ${fd}`);
    }
  }
  // Strong duality and the gauge ⟨f, a⟩ = ⟨g, b⟩.
  const fa = r.gradA.reduce((s, v, i) => s + v * c.a[i], 0), gb = r.gradB.reduce((s, v, j) => s + v * c.b[j], 0);
  assert.ok(Math.abs(fa - gb) < 1e-13 && Math.abs(fa + gb - r.regularized) < 1e-12);
});

test('convergence report: an iteration cap is reported, not hidden', () => {
  const c = ref.cases.find((x) => x.name === 'random-5x7-reg0.05')!;
  const r = sinkhorn(c.a, c.b, c.M, { reg: c.reg, maxIter: 3 });
  assert.equal(r.converged, false);
  assert.equal(r.iterations, 3);
  assert.ok(r.marginalError > 1e-9 && Number.isFinite(r.marginalError));
  const full = sinkhorn(c.a, c.b, c.M, { reg: c.reg });
  assert.ok(full.converged && full.iterations < 1000 && full.marginalError < 1e-9);
  // Row marginals are exact after the f update, column marginals to the reported error.
  for (let i = 0; i < c.a.length; i++) {
    let s = 0;
    for (let j = 0; j < c.b.length; j++) s += full.plan.data[i * c.b.length + j];
    assert.ok(Math.abs(s - c.a[i]) < 1e-15);
  }
});

test('bad input: typed errors naming the argument', () => {
  const C = [[0, 1], [1, 0]];
  assert.throws(() => sinkhorn([0.5, 0.6], [0.5, 0.5], C, { reg: 1 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'a');
  assert.throws(() => sinkhorn([0.5, 0.5], [1.5, -0.5], C, { reg: 1 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'b');
  assert.throws(() => sinkhorn([0.5, 0.5], [0.5, NaN], C, { reg: 1 }), (e: unknown) => e instanceof NonFiniteError && e.argument === 'b');
  assert.throws(() => sinkhorn([0.5, 0.5], [0.5, 0.5, 0], C, { reg: 1 }), (e: unknown) => e instanceof DimensionMismatchError && e.argument === 'cost');
  assert.throws(() => sinkhorn([0.5, 0.5], [0.5, 0.5], [[0, Infinity], [1, 0]], { reg: 1 }), (e: unknown) => e instanceof NonFiniteError && e.argument === 'cost');
  assert.throws(() => sinkhorn([0.5, 0.5], [0.5, 0.5], C, { reg: 0 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.reg');
});
