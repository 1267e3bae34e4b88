import { test } from 'node:test';
import assert from 'node:assert/strict';
import { divergence } from '../../kernel-lib/kde/divergence.js';
import { gaussianKl as gaussKl, gaussianRenyi as gaussRenyi } from '../../kernel-lib/gaussian/closed-form.js';
import { DimensionMismatchError, InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { normals } from '../helpers/data.js';

test('plug-in KL of N(0,1) ‖ N(1, 2²) approaches the closed form (1-D, n = 1000)', () => {
  const x = normals(1000, 1, 1);
  const y = { data: normals(1000, 1, 2).data.map((v) => 1 + 2 * v), rows: 1000, cols: 1 };
  const truth = gaussKl({ mean: [0], cov: [[1]] }, { mean: [1], cov: [[4]] });
  const e = divergence(x, y, { bandwidth: 'lcv', backend: 'cpu' });
  // Within three standard errors of the mean log-ratio plus a small smoothing-bias allowance.
  assert.ok(Math.abs(e.value - truth) < 3 * e.stderr! + 0.02, `KL ${e.value} ± ${e.stderr} vs ${truth}`);
  assert.equal(e.estimator, 'kde-plugin-kl-loo');
  assert.ok(e.stderr! > 0 && e.terms!.length === 1000);
  // Resubstitution includes the self term and is biased up relative to leave-one-out.
  assert.ok((e.extra!.resubstitution as number) > e.value);
  const r = divergence(x, y, { bandwidth: 'lcv', alpha: 0.5 });
  const rt = gaussRenyi({ mean: [0], cov: [[1]] }, { mean: [1], cov: [[4]] }, 0.5);
  assert.ok(Math.abs(r.value - rt) < 3 * e.stderr! + 0.02, `Rényi ${r.value} vs ${rt}`);
});

test('direction: D(P‖Q) ≠ D(Q‖P) with unequal covariances, each near its own truth', () => {
  const x = normals(800, 2, 3);
  const y = { data: normals(800, 2, 4).data.map((v, i) => (i % 2 === 0 ? 2 * v : 0.7 * v)), rows: 800, cols: 2 };
  const P = { mean: [0, 0], cov: [[1, 0], [0, 1]] };
  const Q = { mean: [0, 0], cov: [[4, 0], [0, 0.49]] };
  const pq = divergence(x, y, { bandwidth: 'lcv' }).value;
  const qp = divergence(y, x, { bandwidth: 'lcv' }).value;
  assert.ok(Math.abs(pq - gaussKl(P, Q)) < 0.12, `${pq} vs ${gaussKl(P, Q)}`);
  assert.ok(Math.abs(qp - gaussKl(Q, P)) < 0.25, `${qp} vs ${gaussKl(Q, P)}`);
});

test('Rényi-α tends to KL as α → 1, bits convert', () => {
  const x = normals(300, 1, 5);
  const y = { data: normals(300, 1, 6).data.map((v) => 0.5 + v), rows: 300, cols: 1 };
  const k = divergence(x, y).value;
  const r = divergence(x, y, { alpha: 1 + 1e-6 }).value;
  assert.ok(Math.abs(k - r) < 1e-5);
  assert.ok(Math.abs(divergence(x, y, { base: 2 }).value - k / Math.LN2) < 1e-12);
});

test('bad input', () => {
  const x = normals(20, 2, 1);
  assert.throws(() => divergence(x, normals(20, 3, 2)), DimensionMismatchError);
  assert.throws(() => divergence(x, x, { alpha: 0 }), InvalidParameterError);
  assert.throws(() => divergence(x, x, { method: 'plug' as 'loo' }), InvalidParameterError);
  assert.throws(() => divergence(x, x, { bandwidth: -1 }), InvalidParameterError);
});
