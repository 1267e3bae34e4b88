import assert from 'node:assert/strict';
import type { Samples } from '../../kernel-lib/core/matrix.js';
import type { BandwidthSelection, CvOptions } from '../../kernel-lib/kde/selection.js';
import { loadReference, relErr } from '../helpers/reference.js';

/**
 * The per-dimension selector against statsmodels' KDEMultivariate (`cv_ml` for LCV, `cv_ls` for
 * LSCV) on every case of the reference file: bandwidths within 2e-3 of statsmodels (its
 * Nelder–Mead stops at xtol = 1e-3, so its bandwidths carry ~1e-3 error) and within 1e-6 of the
 * tightly re-optimised optimum, objective no worse than at statsmodels' bandwidths.
 */
export function assertMatchesStatsmodels(name: 'cv_ml' | 'cv_ls', select: (x: Samples, opts?: CvOptions) => BandwidthSelection): void {
  const ref = loadReference();
  for (const c of ref.statsmodels_kde_multivariate.cases) {
    const r = select(c.data, { perDimension: true });
    const want = c[name];
    assert.ok(r.converged, `${c.name} ${name} converged`);
    r.bandwidths.forEach((h, s) => {
      assert.ok(relErr(h, want.statsmodels_bw[s]) < 2e-3, `${c.name} ${name} h[${s}] ${h} vs statsmodels ${want.statsmodels_bw[s]}`);
      assert.ok(relErr(h, want.tight_optimum_bw[s]) < 1e-6, `${c.name} ${name} h[${s}] ${h} vs tight ${want.tight_optimum_bw[s]}`);
    });
    assert.ok(r.objective! <= want.objective_at_statsmodels_bw + 1e-12 * Math.abs(want.objective_at_statsmodels_bw), `${c.name} ${name} objective`);
    assert.ok(relErr(r.objective!, want.objective_at_tight_optimum) < 1e-10);
  }
}
