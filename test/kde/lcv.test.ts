import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lcv } from '../../kernel-lib/kde/lcv.js';
import { fit } from '../../kernel-lib/kde/fit.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { loadReference, relErr } from '../helpers/reference.js';
import { normals } from '../helpers/data.js';
import { assertMatchesStatsmodels } from './statsmodels-cv.js';

const ref = loadReference();

test('statsmodels cv_ml (per-dimension): bandwidths to 1e-3 of statsmodels, 1e-6 of the tight optimum, objective ≤ statsmodels', () => {
  assertMatchesStatsmodels('cv_ml', lcv);
});

test('statsmodels normal_reference is the per-dimension start (1.06 σ n^(-1/(4+d)))', () => {
  for (const c of ref.statsmodels_kde_multivariate.cases) {
    const r = lcv(c.data, { perDimension: true, curvePoints: 1 });
    // With one curve point the curve holds the start: its geometric mean equals that of normal_reference.
    const nr = c.normal_reference_bw as number[];
    const gm = Math.exp(nr.reduce((a, v) => a + Math.log(v), 0) / nr.length);
    assert.ok(relErr(r.curve.h[0], gm) < 1e-12);
  }
});

test('LCV (factor) maximises the mean leave-one-out log-likelihood of the fitted KDE; curve and grad consistent', () => {
  const x = normals(150, 2, 5);
  const r = lcv(x);
  assert.ok(r.converged);
  const at = (f: number): number => {
    const loo = fit(x, { bandwidth: f, backend: 'cpu' }).logDensityLoo();
    return loo.reduce((a, v) => a + v, 0) / loo.length;
  };
  assert.ok(relErr(r.score, at(r.h)) < 1e-12, 'score = mean LOO log-likelihood of fit(x, {bandwidth: h})');
  assert.ok(at(r.h) > at(r.h * 1.01) && at(r.h) > at(r.h / 1.01));
  // Curve points are the same criterion; grad is its derivative in log h (central differences).
  for (const k of [3, 12, 20]) {
    assert.ok(relErr(r.curve.score[k], at(r.curve.h[k])) < 1e-12);
    const e = 1e-5;
    const fd = (at(r.curve.h[k] * Math.exp(e)) - at(r.curve.h[k] * Math.exp(-e))) / (2 * e);
    assert.ok(Math.abs(fd - r.grad[k]) < 1e-6 * Math.max(1, Math.abs(fd)), `grad ${r.grad[k]} vs fd ${fd}`);
  }
  // The selection converged to 1e-6 relative: a tighter tolerance moves h by less.
  const tight = lcv(x, { tol: 1e-13 });
  assert.ok(relErr(r.h, tight.h) < 1e-6);
});

test('LCV stays finite in d = 40 where every unshifted leave-one-out sum underflows', () => {
  const x = normals(60, 40, 13);
  const r = lcv(x, { covariance: 'identity', curvePoints: 9 });
  assert.ok(Number.isFinite(r.score) && r.converged, `score ${r.score}`);
  assert.ok(r.curve.score.every(Number.isFinite));
});

test('bad input for the selectors', () => {
  assert.throws(() => lcv(normals(10, 2, 1), { curvePoints: -1 }), InvalidParameterError);
  assert.throws(() => lcv(normals(10, 2, 1), { tol: 0 }), InvalidParameterError);
  assert.throws(() => lcv([[1, 1], [1, 1], [1, 1]]), /singular/);
});

test('LCV factor is scale-free', () => {
  const x = normals(300, 3, 4);
  const big = { data: x.data.map((v) => 1000 * v), rows: 300, cols: 3 };
  assert.ok(relErr(lcv(big, { curvePoints: 5 }).h, lcv(x, { curvePoints: 5 }).h) < 1e-8);
});
