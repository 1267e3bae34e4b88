import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lscv } from '../../kernel-lib/kde/lscv.js';
import { InvalidParameterError } from '../../kernel-lib/core/errors.js';
import { loadReference, relErr } from '../helpers/reference.js';
import { normals } from '../helpers/data.js';

const ref = loadReference();

test('statsmodels cv_ls (per-dimension): bandwidths to 1e-3 of statsmodels, 1e-6 of the tight optimum, objective ≤ statsmodels', () => {
  for (const c of ref.statsmodels_kde_multivariate.cases) {
    for (const [name, sel] of [['cv_ls', lscv]] as const) {
      const r = sel(c.data, { perDimension: true });
      const want = c[name];
      assert.ok(r.converged, `${c.name} ${name} converged`);
      r.bandwidths.forEach((h, s) => {
        // statsmodels stops Nelder–Mead at xtol = 1e-3 (reference notes): its bandwidths carry ~1e-3 error.
        assert.ok(relErr(h, want.statsmodels_bw[s]) < 2e-3, `${c.name} ${name} h[${s}] ${h} vs statsmodels ${want.statsmodels_bw[s]}`);
        assert.ok(relErr(h, want.tight_optimum_bw[s]) < 1e-6, `${c.name} ${name} h[${s}] ${h} vs tight ${want.tight_optimum_bw[s]}`);
      });
      assert.ok(r.objective! <= want.objective_at_statsmodels_bw + 1e-12 * Math.abs(want.objective_at_statsmodels_bw), `${c.name} ${name} objective`);
      assert.ok(relErr(r.objective!, want.objective_at_tight_optimum) < 1e-10);
    }
  }
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
