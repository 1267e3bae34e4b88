import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lscv } from '../../kernel-lib/kde/lscv.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { normals } from '../helpers/data.js';
import { assertMatchesStatsmodels } from './statsmodels-cv.js';

test('statsmodels cv_ls (per-dimension): bandwidths to 1e-3 of statsmodels, 1e-6 of the tight optimum, objective ≤ statsmodels', () => {
  assertMatchesStatsmodels('cv_ls', lscv);
});

test('LSCV (factor): stationary point of the ISE estimate, grad matches finite differences', () => {
  const x = normals(120, 1, 9);
  const r = lscv(x);
  assert.ok(r.converged);
  let k = 0;
  while (k < r.curve.h.length - 1 && r.curve.h[k + 1] < r.h) k++;
  // The returned score is ≤ every curve point near the optimum (a local minimum the grid bracketed).
  assert.ok(r.score <= Math.min(r.curve.score[k], r.curve.score[Math.min(k + 1, r.curve.score.length - 1)]) + 1e-15);
  for (const j of [4, 10, 18]) {
    const h = r.curve.h;
    const num = (r.curve.score[j + 1] - r.curve.score[j - 1]) / (Math.log(h[j + 1]) - Math.log(h[j - 1]));
    // coarse grid: the central difference of the curve approximates grad to O(Δ²) (Δ = 1/6)
    assert.ok(Math.abs(num - r.grad[j]) < 0.05 * Math.abs(r.grad[j]) + 1e-3, `j=${j} ${num} vs ${r.grad[j]}`);
  }
});

test('bad input for lscv', () => {
  assert.throws(() => lscv([[1, 1], [1, 2], [1, 3]], { perDimension: true }), /column 0 is constant/);
  assert.throws(() => lscv(normals(10, 2, 1), { curvePoints: 1.5 }), InvalidParameterError);
});
