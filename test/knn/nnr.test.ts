import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nnr, ensembleWeights, neighbourLabelCounts, defaultEnsemble } from '../../kernel-lib/knn/nnr.js';
import { gaussianKl, gaussianRenyi } from '../../kernel-lib/gaussian/closed-form.js';
import { sampleGaussian } from '../../kernel-lib/gaussian/sample.js';
import { CpuBackend } from '../../kernel-lib/backend/cpu.js';
import { toMatrix } from '../../kernel-lib/core/matrix.js';
import { EstimationError, InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { normals, permuteRows } from '../helpers/data.js';

test('ensemble weights satisfy the constraints and have minimum norm', () => {
  for (const d of [1, 2, 3, 5]) {
    const l = defaultEnsemble(d);
    const w = ensembleWeights(l, d);
    const scale = w.reduce((a, b) => a + Math.abs(b), 0) * 1e-12;
    assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < scale, 'Σ w = 1');
    for (let i = 1; i < d; i++) {
      const s = l.reduce((acc, li, j) => acc + w[j] * Math.pow(li, i / d), 0);
      assert.ok(Math.abs(s) < 10 * scale, `d=${d}: Σ w l^{${i}/${d}} = ${s}`);
    }
    if (d === 1) assert.ok(w.every((v) => Math.abs(v - 0.5) < 1e-12), 'd = 1: only Σw = 1, so equal weights');
  }
  // With as many members as constraints the system has a unique solution (d = 2, two members):
  // w1 + w2 = 1, w1·1 + w2·√2 = 0.
  const w = ensembleWeights([1, 2], 2);
  assert.ok(Math.abs(w[0] - Math.SQRT2 / (Math.SQRT2 - 1)) < 1e-12 && Math.abs(w[1] + 1 / (Math.SQRT2 - 1)) < 1e-12);
  // Minimum norm: moving along the constraint null space only increases ‖w‖.
  const l = [1, 2, 3, 4];
  const w4 = ensembleWeights(l, 2);
  // A null-space direction of A = [[1,1,1,1],[1,√2,√3,2]]: v = (a, b, c, 0) with both dot products 0.
  const v = [Math.SQRT2 - Math.sqrt(3), Math.sqrt(3) - 1, 1 - Math.SQRT2, 0];
  const norm = (u: ArrayLike<number>) => Math.hypot(...Array.from(u));
  for (const t of [-0.3, 0.3]) assert.ok(norm(w4.map((x, j) => x + t * v[j])) > norm(w4));
  assert.throws(() => ensembleWeights([1, 2], 3), InvalidParameterError);
});

test('label counts: N_i + M_i = k, ties at the k-th distance are shared in proportion', () => {
  const cpu = new CpuBackend();
  // y_0 = 0 has x neighbours at ±1 and a y neighbour at 1: with k = 1 all three tie at distance 1,
  // so N_0 = 1 · 2/3.
  const X = toMatrix([[1], [-1], [10]], 'x');
  const Y = toMatrix([[0], [1], [20], [21]], 'y');
  const n = neighbourLabelCounts(cpu, X, Y, 1);
  assert.ok(Math.abs(n[0] - 2 / 3) < 1e-15);
  assert.equal(n[1], 1, 'y_1 = 1 ties with x_0 = 1 at distance 0: one x point');
  assert.equal(n[2], 0);
  const big = neighbourLabelCounts(cpu, normals(300, 2, 1), normals(200, 2, 2), 7);
  assert.ok(big.every((v) => v >= 0 && v <= 7));
});

test('NNR estimates D(P‖Q), not D(Q‖P): unequal variances', () => {
  const P = { mean: [0], cov: [1] };
  const Q = { mean: [0], cov: [4] };
  const x = sampleGaussian(P, 8000, 1);
  const y = sampleGaussian(Q, 8000, 2);
  const a = 0.8;
  const pq = gaussianRenyi(P, Q, a);
  const qp = gaussianRenyi(Q, P, a);
  const e = nnr(x, y, { alpha: a }).value;
  assert.ok(Math.abs(pq - qp) > 0.15, 'the two directions differ');
  assert.ok(Math.abs(e - pq) < Math.abs(e - qp), `estimate ${e}, D(P‖Q) = ${pq}, D(Q‖P) = ${qp}`);
  assert.ok(Math.abs(e - pq) < 0.08);
  const ekl = nnr(x, y, { f: (t) => (t > 0 ? t * Math.log(t) : 0) }).value;
  const klpq = gaussianKl(P, Q);
  const klqp = gaussianKl(Q, P);
  assert.ok(Math.abs(ekl - klpq) < Math.abs(ekl - klqp), `KL via g = t log t: ${ekl} vs ${klpq} / ${klqp}`);
});

test('NNR approaches the Rényi divergence between Gaussians and ≈ 0 for P = Q', () => {
  const P = { mean: [0, 0], cov: [1, 0, 0, 1] };
  const Q = { mean: [1, 0], cov: [1, 0, 0, 1] };
  const x = sampleGaussian(P, 10000, 3);
  const y = sampleGaussian(Q, 10000, 4);
  const truth = gaussianRenyi(P, Q, 0.5);
  const e = nnr(x, y, { alpha: 0.5 });
  assert.equal(e.params.k, 100);
  assert.ok(Math.abs(e.value - truth) < 0.05, `${e.value} vs ${truth}`);
  const same = nnr(sampleGaussian(P, 5000, 5), sampleGaussian(P, 5000, 6), { alpha: 0.5 }).value;
  assert.ok(Math.abs(same) < 0.04, `${same}`);
  const ens = nnr(x, y, { alpha: 0.5, ensemble: true });
  assert.ok(Math.abs(ens.value - truth) < 0.08, `ensemble ${ens.value} vs ${truth}`);
  assert.deepEqual(ens.extra?.k, [100, 200, 300]);
});

test('permutation invariance and bits', () => {
  const x = normals(800, 2, 1);
  const y = normals(900, 2, 2);
  const v = nnr(x, y, { alpha: 1.5, k: 20 }).value;
  assert.ok(Math.abs(nnr(permuteRows(x, 3), permuteRows(y, 4), { alpha: 1.5, k: 20 }).value - v) < 1e-12);
  assert.ok(Math.abs(nnr(x, y, { alpha: 1.5, k: 20, base: 2 }).value * Math.LN2 - v) < 1e-12);
});

test('bad input: alpha and f together or neither, non-finite g without truncation', () => {
  const x = normals(50, 1, 1);
  const y = normals(50, 1, 2);
  assert.throws(() => nnr(x, y, {}), InvalidParameterError);
  assert.throws(() => nnr(x, y, { alpha: 0.5, f: (t) => t }), InvalidParameterError);
  assert.throws(() => nnr(x, y, { alpha: 1 }), (e: unknown) => e instanceof InvalidParameterError && e.argument === 'options.alpha');
  // g(t) = −log t is infinite at t = 0 (a y point with no x neighbour): the paper truncates g.
  const far = sampleGaussian({ mean: [8], cov: [1] }, 50, 3);
  assert.throws(() => nnr(x, far, { f: (t) => -Math.log(t), k: 3 }), (e: unknown) => e instanceof EstimationError && /lowerRatio/.test(e.message));
  assert.ok(Number.isFinite(nnr(x, far, { f: (t) => -Math.log(t), k: 3, lowerRatio: 0.01 }).value));
});
